<?xml version="1.0"?>
<!--
  tests/integration-normalise.xsl: a copy of an Nmap (or svdetect) XML
  file with the integration test's exceptions applied, so that the
  field comparison and ndiff both see the same normalised values.  Every
  other byte of the answer is left alone.  Both files go through it.

  1. 11211/tcp, memcached: Nmap's match line puts the server's uptime in
     extrainfo ("uptime 245 seconds"), which grows between two scans.
     The number alone is replaced by N; the rest must still be equal.

  2. 1883/tcp, mosquitto: Nmap's -sV also runs the NSE script
     mqtt-subscribe (category "version"), which overwrites the service
     name with the broker's $SYS/broker/version topic ("mosquitto version
     2.0.11").  svdetect runs no scripts: its answer is that of Nmap's
     match lines, which Nmap's own version trace shows before the script
     runs.  The parameter mqtt-name is that name, taken from the trace of
     the same Nmap run; only a name the script writes (it starts with
     "mosquitto version ") is replaced, and only on port 1883.

  3. The ports of tests/integration-unsure.txt, on Nmap's side only
     (side = 'nmap'): where Nmap is unsure (no service, or a name from
     its port table), the service Nmap is sure of on the listed
     reference port (a plaintext port of the same server, found by
     probes, not tunnelled) replaces Nmap's guess, with tunnel="ssl":
     that is the answer svdetect must give.  The parameter unsure holds
     the list as " PORT=REFERENCE PORT=REFERENCE ", e.g. " 993/tcp=143/tcp ".

  4. UDP ports named snmp, on Nmap's side only: Nmap's -sV also runs the
     NSE script snmp-info (category "version"), which appends
     "; net-snmp SNMPv3 server" to the product its match line gave
     ("SNMPv1 server", as its version trace shows).  svdetect runs no
     scripts.  Only that suffix, at the end of the product, is taken off,
     and only there; every other field, and a product with anything else
     added, must still be equal.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:output method="xml" encoding="UTF-8"/>
  <xsl:param name="mqtt-name" select="''"/>
  <xsl:param name="side" select="''"/>
  <xsl:param name="unsure" select="' '"/>

  <xsl:template match="@* | node()">
    <xsl:copy><xsl:apply-templates select="@* | node()"/></xsl:copy>
  </xsl:template>

  <xsl:template match="port[@protocol = 'tcp' and @portid = '11211']/service/@extrainfo[starts-with(., 'uptime ')]">
    <xsl:variable name="n" select="substring-before(substring-after(., 'uptime '), ' seconds')"/>
    <xsl:choose>
      <xsl:when test="$n != '' and translate($n, '0123456789', '') = ''">
        <xsl:attribute name="extrainfo">
          <xsl:value-of select="concat('uptime N seconds', substring-after(., ' seconds'))"/>
        </xsl:attribute>
      </xsl:when>
      <xsl:otherwise><xsl:copy/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="port[@protocol = 'tcp' and @portid = '1883']/service/@name[starts-with(., 'mosquitto version ')]">
    <xsl:choose>
      <xsl:when test="$mqtt-name != ''">
        <xsl:attribute name="name"><xsl:value-of select="$mqtt-name"/></xsl:attribute>
      </xsl:when>
      <xsl:otherwise><xsl:copy/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:variable name="snmp-info" select="'; net-snmp SNMPv3 server'"/>
  <xsl:template match="port[@protocol = 'udp']/service[@name = 'snmp']/@product">
    <xsl:variable name="keep" select="string-length(.) - string-length($snmp-info)"/>
    <xsl:choose>
      <xsl:when test="$side = 'nmap' and $keep > 0 and substring(., $keep + 1) = $snmp-info">
        <xsl:attribute name="product"><xsl:value-of select="substring(., 1, $keep)"/></xsl:attribute>
      </xsl:when>
      <xsl:otherwise><xsl:copy/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="port">
    <xsl:variable name="key" select="concat(' ', @portid, '/', @protocol, '=')"/>
    <xsl:variable name="ref" select="substring-before(substring-after($unsure, $key), ' ')"/>
    <xsl:variable name="sure" select="../port[concat(@portid, '/', @protocol) = $ref]
      /service[@method = 'probed' and not(@tunnel)]"/>
    <xsl:choose>
      <xsl:when test="$side = 'nmap' and $ref != '' and $sure
                      and (not(service) or service/@method = 'table')">
        <xsl:copy>
          <xsl:apply-templates select="@* | node()[not(self::service)]"/>
          <service>
            <xsl:copy-of select="$sure/@*"/>
            <xsl:attribute name="tunnel">ssl</xsl:attribute>
            <xsl:copy-of select="$sure/node()"/>
          </service>
        </xsl:copy>
      </xsl:when>
      <xsl:otherwise>
        <xsl:copy><xsl:apply-templates select="@* | node()"/></xsl:copy>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
