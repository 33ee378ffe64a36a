<?xml version="1.0" encoding="UTF-8"?>
<!-- profile.xsl: a stand-in for the loader's profiling, to try the styles on a real course
     before the engine's loader is finished.  Keeps the elements whose xml:lang is absent or
     equal to $lang and whose edition attribute is absent or names $edition.
       xmllint - -xinclude courses/X/course.xml | xsltproc - -stringparam lang fr
         - -stringparam edition trainer tests/data/style-sample/profile.xsl - > /tmp/x.xml
     (write the options with two dashes). -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:param name="lang" select="'en'"/>
  <xsl:param name="edition" select="'participant'"/>
  <xsl:template match="@*|node()">
    <xsl:copy><xsl:apply-templates select="@*|node()"/></xsl:copy>
  </xsl:template>
  <xsl:template match="*[@xml:lang or @edition]">
    <xsl:if test="(not(@xml:lang) or @xml:lang = $lang)
                  and (not(@edition) or contains(concat(' ', @edition, ' '), concat(' ', $edition, ' ')))">
      <xsl:copy><xsl:apply-templates select="@*|node()"/></xsl:copy>
    </xsl:if>
  </xsl:template>
  <xsl:template match="@edition | @xml:base"/>
</xsl:stylesheet>
