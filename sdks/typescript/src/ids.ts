/** Random ids in the server's accepted form (`arq_` then letters and digits). */
export function randomHex(bytes: number): string {
  const buf = new Uint8Array(bytes);
  const crypto = (globalThis as { crypto?: { getRandomValues(array: Uint8Array): Uint8Array } }).crypto;
  if (crypto) crypto.getRandomValues(buf);
  else for (let i = 0; i < bytes; i++) buf[i] = Math.floor(Math.random() * 256); // runtimes without Web Crypto
  return Array.from(buf, (b) => b.toString(16).padStart(2, "0")).join("");
}

export function newId(): string {
  return `arq_c_${randomHex(12)}`;
}

export function newIdempotencyKey(): string {
  return `idem_${randomHex(16)}`;
}
