/**
 * Attachment bytes by org and digest, kept in memory up to a byte budget; the least recently used
 * go first. A blob never changes once stored (its key is the SHA-256 of its bytes), so what is kept
 * is never stale, whichever process stored it. A worker that sends one brochure to thousands of
 * customers reads it from the database once.
 */
export class BlobCache {
  private readonly entries = new Map<string, Buffer>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  private static key(orgId: string | number, sha256: string): string {
    return `${orgId}:${sha256}`;
  }

  get(orgId: string | number, sha256: string): Buffer | undefined {
    const key = BlobCache.key(orgId, sha256);
    const data = this.entries.get(key);
    if (data) {
      // Most recently used last: a Map iterates in insertion order.
      this.entries.delete(key);
      this.entries.set(key, data);
    }
    return data;
  }

  set(orgId: string | number, sha256: string, data: Buffer): void {
    const key = BlobCache.key(orgId, sha256);
    if (data.length > this.maxBytes || this.entries.has(key)) return;
    this.entries.set(key, data);
    this.bytes += data.length;
    for (const [oldest, kept] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= kept.length;
    }
  }

  /** Bytes held now. */
  get size(): number {
    return this.bytes;
  }
}
