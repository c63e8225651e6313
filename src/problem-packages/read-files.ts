import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { unzipSync } from 'fflate';

/** A package's files by their path inside it ("problem.yaml", "data/secret/1.in"). */
export type PackageFiles = Map<string, Buffer>;

const MAX_PACKAGE_BYTES = 512 * 1024 * 1024;

async function walk(root: string, dir: string, files: PackageFiles): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await walk(root, path, files);
    else if (entry.isFile()) files.set(relative(root, path).split(sep).join('/'), await readFile(path));
  }
}

/**
 * Reads a package from a folder or a .zip. A zip whose files all sit in one top folder (as
 * `zip -r pkg.zip pkg/` makes them) is read from inside that folder.
 */
export async function readPackageFiles(path: string): Promise<PackageFiles> {
  const info = await stat(path);
  const files: PackageFiles = new Map();
  if (info.isDirectory()) {
    await walk(path, path, files);
    return files;
  }
  if (info.size > MAX_PACKAGE_BYTES) throw new Error(`${path} is larger than ${MAX_PACKAGE_BYTES} bytes`);
  const entries = unzipSync(new Uint8Array(await readFile(path)));
  const names = Object.keys(entries).filter((n) => !n.endsWith('/'));
  const top = names[0]?.split('/')[0];
  const strip = top !== undefined && !names.includes('problem.yaml') && names.every((n) => n.startsWith(`${top}/`));
  for (const name of names) {
    if (name.split('/').includes('..')) throw new Error(`refusing a zip entry outside the package: ${name}`);
    files.set(strip ? name.slice(top!.length + 1) : name, Buffer.from(entries[name]!));
  }
  return files;
}
