// Which worker holds a delivery's lease. A worker that lost the database mid-round can take its
// own leased deliveries back as soon as the database returns, instead of waiting out the lease
// (60 s); another worker's lease is still honoured until it lapses.
import { sql, type Kysely } from 'kysely'

export async function up (db: Kysely<any>): Promise<void> {
  await sql`alter table webhook_deliveries add column lease_owner uuid`.execute(db)
}

export async function down (db: Kysely<any>): Promise<void> {
  await sql`alter table webhook_deliveries drop column lease_owner`.execute(db)
}
