#!/bin/sh
# check-strings.sh: every styles/strings/LANG.xml has the same keys as en.xml, no key twice,
# and every key the stylesheets name literally exists.  Needs xmllint.  Exit 1 on a problem.
# Usage: sh tests/data/style-sample/check-strings.sh   (from the repository root)
set -u
dir=styles/strings
keys() { xmllint --xpath '//s/@key | //p/@key' "$1" | tr ' ' '\n' | sed -n 's/^key="\(.*\)"$/\1/p' | sort; }
status=0
keys $dir/en.xml > /tmp/wb-strings-en.$$
for f in $dir/*.xml; do
  keys "$f" > /tmp/wb-strings-one.$$
  if ! cmp -s /tmp/wb-strings-en.$$ /tmp/wb-strings-one.$$; then
    echo "$f: keys differ from en.xml:"; diff /tmp/wb-strings-en.$$ /tmp/wb-strings-one.$$ | grep '^[<>]'; status=1
  fi
  dup=$(uniq -d /tmp/wb-strings-one.$$)
  [ -n "$dup" ] && { echo "$f: keys given twice: $dup"; status=1; }
done
# keys named literally in the stylesheets: key" select="'KEY'"
for k in $(grep -ho "name=\"key\" select=\"'[a-z0-9-]*'\"" styles/*.xsl | sed "s/.*'\(.*\)'.*/\1/" | sort -u); do
  grep -qx "$k" /tmp/wb-strings-en.$$ || { echo "styles: key \"$k\" is not in $dir/en.xml"; status=1; }
done
n=$(wc -l < /tmp/wb-strings-en.$$)
rm -f /tmp/wb-strings-en.$$ /tmp/wb-strings-one.$$
[ $status = 0 ] && echo "strings: $(ls $dir/*.xml | wc -l) languages, $n keys each, all consistent"
exit $status
