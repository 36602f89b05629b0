/** Escaping text for HTML, SVG and Mermaid labels. */

/** Escapes text for XML and HTML content and attribute values. */
export const escapeXml = (text: string): string =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
