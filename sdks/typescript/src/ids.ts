/** Random ids in the server's accepted form (`arq_` then letters and digits). */
export function randomHex(bytes: number): string {
  const buf = new Uint8Array(bytes);
  globalThis.crypto.getRandomValues(buf);
  return Array.from(buf, (b) => b.toString(16).padStart(2, "0")).join("");
}

export function newId(): string {
  return `arq_c_${randomHex(12)}`;
}

export function newIdempotencyKey(): string {
  return `idem_${randomHex(16)}`;
}
