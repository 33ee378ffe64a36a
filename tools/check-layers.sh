#!/bin/sh
# Holds the code to its layers (README, "Architecture"), from the symbols of the object files:
# fails when a file calls into a layer it may not use (above its own, or beside it), or when
# files call each other in a circle.
#   tools/check-layers.sh [OBJ_DIR]     (default out/obj)
set -eu
obj=${1:-out/obj}
[ -d "$obj/src" ] || { echo "layers: no object files in $obj (run make first)" >&2; exit 2; }
NM=${NM:-nm}

# Each layer and the layers it may call, from the ground up.
rules='
context:
fo: context
page: context
load: context
transform: context load
output: context
pdf: context
format: context fo page
render: context page pdf output
driver: context load transform fo format render page output
preview: context load transform format render page driver output
cli: context load transform format render page driver output preview
'

# The layer of an object file, from its path below src/.
layer_of() {
    case "$1" in
    context.o) echo context ;;
    fo/*) echo fo ;;
    page.o | page/*) echo page ;;
    load.o | load/*) echo load ;;
    transform.o | transform/*) echo transform ;;
    output.o | output/*) echo output ;;
    pdf/*) echo pdf ;;
    format/*) echo format ;;
    render/*) echo render ;;
    build.o | driver/* | batch/*) echo driver ;;
    preview/*) echo preview ;;
    cli/*) echo cli ;;
    *) echo unknown ;;
    esac
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
: >"$tmp/defs"
: >"$tmp/uses"
find "$obj/src" -name '*.o' | sort | while read -r o; do
    rel=${o#"$obj/src/"}
    file=${rel%.o}.c
    [ -f "src/$file" ] || continue # left over from a file since removed
    $NM "$o" | awk -v f="$file" '
        $1 == "U" { print f, $2 >> "'"$tmp/uses"'"; next }
        NF == 3 && $2 ~ /^[TDBRCGSV]$/ { print $3, f >> "'"$tmp/defs"'" }'
    printf '%s %s\n' "$file" "$(layer_of "$rel")" >>"$tmp/layers"
done

echo "$rules" | awk -F: 'NF == 2 { n = split($2, a, " "); printf "%s %s", $1, $1; for (i = 1; i <= n; i++) printf " %s", a[i]; print "" }' >"$tmp/allowed"

awk -v defs="$tmp/defs" -v layers="$tmp/layers" -v allowed="$tmp/allowed" '
BEGIN {
    while ((getline l < defs) > 0) { split(l, a, " "); def[a[1]] = a[2] }
    while ((getline l < layers) > 0) { split(l, a, " "); layer[a[1]] = a[2] }
    while ((getline l < allowed) > 0) {
        n = split(l, a, " "); known[a[1]] = 1
        for (i = 2; i <= n; i++) ok[a[1], a[i]] = 1
    }
}
{
    from = $1; to = def[$2]
    if (to == "" || to == from) next
    if (!((from, to) in edge)) { edge[from, to] = $2; out[from] = out[from] " " to }
    else if (index(edge[from, to], $2) == 0 && length(edge[from, to]) < 60) edge[from, to] = edge[from, to] ", " $2
}
END {
    bad = 0
    for (f in layer) if (!(layer[f] in known)) { printf "layers: %s is in no layer (add it to tools/check-layers.sh)\n", f; bad = 1 }
    for (k in edge) {
        split(k, p, SUBSEP)
        lf = layer[p[1]]; lt = layer[p[2]]
        if (!((lf, lt) in ok)) {
            printf "layers: %s (%s) calls %s (%s): %s\n", p[1], lf, p[2], lt, edge[k]; bad = 1
        }
    }
    # circles of calls between files: depth-first search with colours
    for (f in layer) colour[f] = 0
    for (f in layer) if (colour[f] == 0) {
        sp = 1; stack[1] = f; colour[f] = 1; pos[1] = 0
        n = split(out[f], nb, " "); for (i = 1; i <= n; i++) kids[1, i] = nb[i]; nkids[1] = n
        while (sp > 0) {
            pos[sp]++
            if (pos[sp] > nkids[sp]) { colour[stack[sp]] = 2; sp--; continue }
            g = kids[sp, pos[sp]]
            if (colour[g] == 1) {
                for (j = sp; j > 1 && stack[j] != g; j--) ;
                path = ""; for (k = j; k <= sp; k++) path = path stack[k] " -> "
                printf "layers: files call each other in a circle: %s%s\n", path, g; bad = 1
                continue
            }
            if (colour[g] == 2) continue
            sp++; stack[sp] = g; colour[g] = 1; pos[sp] = 0
            n = split(out[g], nb, " "); for (i = 1; i <= n; i++) kids[sp, i] = nb[i]; nkids[sp] = n
        }
    }
    if (!bad) print "layers: every call goes down a layer, no circles"
    exit bad
}' "$tmp/uses"
