import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';

/**
 * Writes a plain zip (deflate, no zip64: an app package stays far below 65,535 files and 4 GiB) of
 * `files` (`/` paths relative to `root`), in the given order and with a fixed timestamp, so the same
 * folder always gives the same bytes. Returns the zip's size.
 */
export function writeZip(zipPath: string, root: string, files: readonly string[]): number {
  const fd = openSync(zipPath, 'w');
  const central: Buffer[] = [];
  let offset = 0;
  const write = (buffer: Buffer) => {
    writeSync(fd, buffer);
    offset += buffer.length;
  };
  try {
    for (const file of files) {
      const data = readFileSync(join(root, file));
      const packed = deflateRawSync(data, { level: 9 });
      const stored = packed.length >= data.length;
      const body = stored ? data : packed;
      const name = Buffer.from(file, 'utf8');
      const crc = crc32(data);
      const method = stored ? 0 : 8;
      const local = Buffer.alloc(30);
      local.writeUInt32LE(0x04034b50, 0);
      local.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
      local.writeUInt16LE(0x0800, 6); // names are UTF-8
      local.writeUInt16LE(method, 8);
      local.writeUInt16LE(0, 10); // 00:00:00
      local.writeUInt16LE(0x21, 12); // 1980-01-01
      local.writeUInt32LE(crc, 14);
      local.writeUInt32LE(body.length, 18);
      local.writeUInt32LE(data.length, 22);
      local.writeUInt16LE(name.length, 26);
      local.writeUInt16LE(0, 28);
      const header = Buffer.alloc(46);
      header.writeUInt32LE(0x02014b50, 0);
      header.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix, so the mode below is read
      local.copy(header, 6, 4, 30);
      header.writeUInt16LE(0, 32); // comment length
      header.writeUInt16LE(0, 34); // disk
      header.writeUInt16LE(0, 36); // internal attributes
      header.writeUInt32LE((0o100644 << 16) >>> 0, 38); // regular file, rw-r--r--
      header.writeUInt32LE(offset, 42);
      central.push(header, name);
      write(local);
      write(name);
      write(body);
    }
    const directory = Buffer.concat(central);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(files.length, 8);
    end.writeUInt16LE(files.length, 10);
    end.writeUInt32LE(directory.length, 12);
    end.writeUInt32LE(offset, 16); // the central directory starts here
    write(directory);
    write(end);
    return offset;
  } finally {
    closeSync(fd);
  }
}
