import type { DataSource } from 'typeorm';

/**
 * The If-Match a careful client would send to PATCH `url`: the ETag of the version it read. Read from
 * the database (as the owner), not through the API, so a test's own reads and audit counts stay as
 * they are. Used by the suites' patch helpers; a test about versions sets If-Match itself. For a record
 * the caller cannot see any version will do: the answer is 404 or 403 before versions are compared.
 */
export async function ifMatchFor(dataSource: DataSource, accessToken: string, url: string): Promise<string> {
  const [, kind, id] = /^\/(clients|users|organisations)\/([0-9a-fA-F-]{36})$/.exec(url.split('?')[0]) ?? [];
  if (!kind) return '"0"';
  const caller = JSON.parse(Buffer.from(accessToken.split('.')[1], 'base64url').toString('utf8')).sub as string;
  const sql = {
    clients: `SELECT f.version FROM client_file f JOIN app_user u ON u.organisation_id = f.organisation_id WHERE f.person_id = $1 AND u.id = $2`,
    users: `SELECT version FROM app_user WHERE id = $1 AND $2::uuid IS NOT NULL`,
    organisations: `SELECT version FROM organisation WHERE id = $1 AND $2::uuid IS NOT NULL`,
  }[kind as 'clients' | 'users' | 'organisations'];
  const [row] = await dataSource.query(sql, [id.toLowerCase(), caller]);
  return `"${row?.version ?? 0}"`;
}
