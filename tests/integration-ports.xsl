<?xml version="1.0"?>
<!--
  tests/integration-ports.xsl: one tab-separated line per scanned port of
  an Nmap (or svdetect) XML file, for tests/integration.sh:

    address port/proto state service product version extrainfo hostname
    ostype devicetype tunnel method conf cpe...

  The CPEs are the last field, space-separated, in document order.
  Tabs and newlines inside values become spaces, so that every port is
  exactly one line of exactly 14 fields (empty fields stay empty).
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:output method="text" encoding="UTF-8"/>

  <xsl:template name="field">
    <xsl:param name="v"/>
    <xsl:text>&#9;</xsl:text>
    <xsl:value-of select="translate($v, '&#9;&#10;&#13;', '   ')"/>
  </xsl:template>

  <xsl:template match="/">
    <xsl:for-each select="/nmaprun/host/ports/port">
      <xsl:variable name="s" select="service"/>
      <xsl:value-of select="../../address[@addrtype != 'mac'][1]/@addr"/>
      <xsl:call-template name="field"><xsl:with-param name="v" select="concat(@portid, '/', @protocol)"/></xsl:call-template>
      <xsl:call-template name="field"><xsl:with-param name="v" select="state/@state"/></xsl:call-template>
      <xsl:call-template name="field"><xsl:with-param name="v" select="$s/@name"/></xsl:call-template>
      <xsl:call-template name="field"><xsl:with-param name="v" select="$s/@product"/></xsl:call-template>
      <xsl:call-template name="field"><xsl:with-param name="v" select="$s/@version"/></xsl:call-template>
      <xsl:call-template name="field"><xsl:with-param name="v" select="$s/@extrainfo"/></xsl:call-template>
      <xsl:call-template name="field"><xsl:with-param name="v" select="$s/@hostname"/></xsl:call-template>
      <xsl:call-template name="field"><xsl:with-param name="v" select="$s/@ostype"/></xsl:call-template>
      <xsl:call-template name="field"><xsl:with-param name="v" select="$s/@devicetype"/></xsl:call-template>
      <xsl:call-template name="field"><xsl:with-param name="v" select="$s/@tunnel"/></xsl:call-template>
      <xsl:call-template name="field"><xsl:with-param name="v" select="$s/@method"/></xsl:call-template>
      <xsl:call-template name="field"><xsl:with-param name="v" select="$s/@conf"/></xsl:call-template>
      <xsl:text>&#9;</xsl:text>
      <xsl:for-each select="$s/cpe">
        <xsl:if test="position() > 1"><xsl:text> </xsl:text></xsl:if>
        <xsl:value-of select="translate(., '&#9;&#10;&#13; ', '    ')"/>
      </xsl:for-each>
      <xsl:text>&#10;</xsl:text>
    </xsl:for-each>
  </xsl:template>
</xsl:stylesheet>
