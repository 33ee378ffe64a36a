#!/bin/sh
# render-fop.sh: render the style sample (or another loaded course) with xsltproc and
# Apache FOP, to look at the styles without the engine.
#
# Usage (from the repository root):
#   sh tests/data/style-sample/render-fop.sh EDITION [LANG [PAPER [BRAND [COURSE]]]]
#   EDITION: participant | trainer | exercises | answers
#   COURSE:  a course already loaded (XInclude resolved, one language kept), default the sample;
#            its images are found beside it (or in $IMAGES if set)
# Output in ${OUT:-/tmp/style-sample}: NAME.fo, NAME.pdf and NAME-N.png previews (50 dpi).
# fop=yes adds table-layout="fixed", which FOP needs for proportional column widths.
set -eu
ed=$1; lang=${2:-en}; paper=${3:-A4}; brand=${4:-default}
course=${5:-tests/data/style-sample/course.xml}
out=${OUT:-/tmp/style-sample}; mkdir -p "$out"
name=$ed-$lang-$paper-$brand
images=$(cd "${IMAGES:-$(dirname "$course")}" && pwd)
cat > "$out/fop.xconf" <<CONF
<fop version="1.0">
  <base>$images/</base>
  <renderers><renderer mime="application/pdf">
    <fonts><directory recursive="true">/usr/share/fonts/truetype</directory></fonts>
  </renderer></renderers>
</fop>
CONF
xsltproc --stringparam fop yes --stringparam lang "$lang" --stringparam paper "$paper" \
         --stringparam brand "$brand" "styles/$ed.xsl" "$course" > "$out/$name.fo"
fop -c "$out/fop.xconf" -fo "$out/$name.fo" -pdf "$out/$name.pdf" > "$out/$name.log" 2>&1 || { cat "$out/$name.log"; exit 1; }
grep -E 'WARN|ERROR|SEVERE' "$out/$name.log" | grep -v 'xalan2|serializer|JVM flavor' || true
rm -f "$out/$name"-*.png
pdftoppm -png -r 50 "$out/$name.pdf" "$out/$name"
echo "$out/$name.pdf: $(pdfinfo "$out/$name.pdf" | sed -n 's/^Pages: *//p') pages"
