/**
 * Reads a PDF back the way a citizen's reader would: its text, page by page, and its attached files.
 * pdfjs-dist is Mozilla's PDF.js, the reader in Firefox; nothing here knows how the PDF was made.
 */
export async function readPdf(data: Buffer): Promise<{ text: string; attachments: Record<string, Buffer> }> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await pdfjs.getDocument({ data: new Uint8Array(data), isEvalSupported: false, disableFontFace: true, useSystemFonts: false }).promise;
  const pages: string[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const content = await (await doc.getPage(n)).getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : '')).join(''));
  }
  const attachments: Record<string, Buffer> = {};
  for (const [name, file] of Object.entries((await doc.getAttachments()) ?? {})) attachments[name] = Buffer.from((file as { content: Uint8Array }).content);
  await doc.destroy();
  return { text: pages.join('\n'), attachments };
}

/** supertest: collect a binary body into a Buffer. */
/** superagent hands the response as a readable stream its types do not say. */
export function binary(response: any, done: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  response.on('data', (chunk: Buffer) => chunks.push(chunk));
  response.on('end', () => done(null, Buffer.concat(chunks)));
  response.on('error', (error: Error) => done(error, Buffer.alloc(0)));
}
