/** Splits a multipart/form-data body into its parts (headers and raw bytes). */
export function multipart(body: Buffer, boundary: string) {
  const parts: Array<{ disposition: string; type?: string; body: Buffer }> = [];
  const delimiter = Buffer.from(`--${boundary}`);
  let at = body.indexOf(delimiter);
  while (at !== -1) {
    const start = at + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, start);
    const chunk = body.subarray(start + 2, next - 2);
    const split = chunk.indexOf('\r\n\r\n');
    const headers = chunk.subarray(0, split).toString('utf8').split('\r\n');
    const header = (name: string) => headers.find((h) => h.toLowerCase().startsWith(`${name}:`))?.slice(name.length + 1).trim();
    parts.push({ disposition: header('content-disposition') ?? '', ...(header('content-type') ? { type: header('content-type') } : {}), body: chunk.subarray(split + 4) });
    at = next;
  }
  return parts;
}
