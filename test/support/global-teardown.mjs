export default async function globalTeardown() {
  for (const { server, db } of globalThis.__CUSTODIA_PGLITE__ ?? []) {
    await server.stop();
    await db.close();
  }
}
