import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { crc32, inflateRawSync } from 'node:zlib';

/**
 * Unpacks a zip into `dir` the way the platform unpacks a deployment zip, reading it from its central
 * directory and checking every entry's CRC-32 and size; returns the entry names. Only what a package
 * needs: stored or deflated entries, no zip64.
 */
export function extractZip(zipPath: string, dir: string): string[] {
  const zip = readFileSync(zipPath);
  const end = zip.length - 22;
  if (zip.readUInt32LE(end) !== 0x06054b50) throw new Error(`${zipPath}: no end-of-central-directory record (or a comment follows it)`);
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error(`${zipPath}: bad central directory entry ${i}`);
    const method = zip.readUInt16LE(at + 10);
    const crc = zip.readUInt32LE(at + 16);
    const packedSize = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const skip = nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    const local = zip.readUInt32LE(at + 42);
    at += 46 + skip;
    if (zip.readUInt32LE(local) !== 0x04034b50) throw new Error(`${zipPath}: ${name}: bad local header`);
    const dataStart = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const packed = zip.subarray(dataStart, dataStart + packedSize);
    const data = method === 0 ? packed : method === 8 ? inflateRawSync(packed) : null;
    if (!data) throw new Error(`${zipPath}: ${name}: compression method ${method}`);
    if (data.length !== size || crc32(data) !== crc) throw new Error(`${zipPath}: ${name}: size or CRC-32 mismatch`);
    const target = resolve(dir, name);
    if (!target.startsWith(resolve(dir) + sep)) throw new Error(`${zipPath}: ${name} escapes the folder`);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(join(target), data);
    names.push(name);
  }
  return names;
}
