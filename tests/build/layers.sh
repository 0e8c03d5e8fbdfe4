#!/usr/bin/env bash
# layers.sh - arrows point one way. In the runtime, the graph of which file
# calls which (from nm: a member's undefined symbols, resolved to the member
# that defines them) has no cycle; in the generator, the graph of which
# stage folder calls which (syntax, formats, catalog, emit, util, cli, and
# the pipeline files at gen/'s top) has none either.
# Usage: layers.sh LIBPGMC LIBPGMCGEN GEN_SOURCE_DIR
set -euo pipefail
rt=$1 gen=$2 gensrc=$3
fail=0

# "caller callee" pairs between members of one archive, self-calls dropped.
edges() {
    nm -A "$1" 2>/dev/null | awk '
        { split($1, f, ":"); m = f[2]; sub(/\.o$/, "", m) }
        NF == 3 && $2 ~ /^[TDBR]$/ { def[$3] = m }
        NF == 2 && $1 ~ /:$/ && $2 == "U" { }
        $(NF-1) == "U" { use[m, $NF] = 1 }
        END { for (k in use) { split(k, p, SUBSEP); if ((p[2] in def) && def[p[2]] != p[1]) print p[1], def[p[2]] } }' |
        sort -u
}

# Fails with the cycle when the "a b" pairs on stdin have one.
acyclic() {
    local what=$1 pairs out
    pairs=$(cat)
    [ -n "$pairs" ] || { echo "FAIL: $what: no call graph read"; return 1; }
    if ! out=$(tsort <<<"$pairs" 2>&1 >/dev/null) || [ -n "$out" ]; then
        echo "FAIL: $what: the call graph has a cycle:"
        grep -v '^tsort: -: input contains a loop:' <<<"$out" | sed 's/^tsort: /  /'
        return 1
    fi
    echo "ok: $what: $(wc -l <<<"$pairs") arrows, no cycle"
}

edges "$rt" | acyclic "runtime files" || fail=1

# generator: member -> stage folder
stage_of() {
    local src
    case $1 in lexer.c) echo syntax; return ;; esac
    src=$(cd "$gensrc" && find . -name "$1" -print -quit)
    [ -n "$src" ] || { echo "?$1"; return; }
    src=${src#./}
    case $src in */*) echo "${src%%/*}" ;; *) echo pipeline ;; esac
}
declare -A stage
while read -r a b; do
    for m in "$a" "$b"; do
        [ -n "${stage[$m]:-}" ] || stage[$m]=$(stage_of "$m")
    done
    [ "${stage[$a]}" = "${stage[$b]}" ] || echo "${stage[$a]} ${stage[$b]}"
done < <(edges "$gen") | sort -u | acyclic "generator stages" || fail=1
exit $fail
