import 'reflect-metadata';
import { signingKeys, verifyAuditChains } from '@app/audit';
import { loadConfig } from '../config/app-config.js';
import { openMigratedDatabase } from '../database/open-database.js';

/**
 * `npm run audit:verify`: recomputes every audit chain of DATABASE_URL (or the embedded database)
 * against its signed checkpoints (in the database and in AUDIT_CHECKPOINT_FILE) and reports audit entries
 * left unsequenced longer than AUDIT_SEQUENCE_MAX_LAG_SECONDS. Prints one line per broken chain and a summary; exits 1 if any is broken.
 */
try {
  const config = loadConfig(process.env);
  const database = await openMigratedDatabase(config, 2);
  try {
    const report = await verifyAuditChains(database.dataSource, signingKeys(config.audit.signingKeyPem).publicKeyPem, {
      concurrency: 2,
      checkpointFile: config.audit.checkpointFile,
      maxLagSeconds: config.audit.sequenceMaxLagSeconds,
    });
    for (const chain of report.chains.filter((c) => !c.ok)) {
      const links = chain.broken!.map((b) => `${b.seq} (${b.reason})`);
      console.log(`BROKEN chain ${chain.chain}: ${links.length} broken, at seq ${links.slice(0, 20).join(', ')}${links.length > 20 ? ', ...' : ''}`);
    }
    if (report.unsequenced.entries > 0)
      console.log(
        `NOT SEQUENCED: ${report.unsequenced.entries} entries waiting more than ${report.unsequenced.maxLagSeconds} s (oldest ${report.unsequenced.oldest})`,
      );
    if (report.checkpointFile?.unreadableLines)
      console.log(`CHECKPOINT FILE ${config.audit.checkpointFile}: ${report.checkpointFile.unreadableLines} unreadable lines`);
    console.log(
      `${report.ok ? 'OK' : 'BROKEN'}: ${report.chains.length} chains, ${report.events} events verified in ${report.seconds.toFixed(2)} s ` +
        `(${report.eventsPerSecond.toLocaleString('en')} events/s)`,
    );
    if (!report.ok) process.exitCode = 1;
  } finally {
    await database.close();
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 2;
}
