import { AUDIT_SINK } from '@app/kernel';
import { Global, Module, type DynamicModule } from '@nestjs/common';
import { AuditCheckpointer } from './audit-checkpointer.js';
import { AuditFlagDetector, AuditFlagService } from './audit-flags.js';
import { AuditQueryService } from './audit-query.service.js';
import { AuditSequencer } from './audit-sequencer.js';
import { AuditWriter } from './audit-writer.js';
import { AUDIT_CONFIG, type AuditConfig } from './audit.config.js';

/** The audit trail: the writer every request transaction appends to, the sequencer that chains, and the checkpointer. */
@Global()
@Module({})
export class AuditModule {
  static forRoot(config: AuditConfig): DynamicModule {
    return {
      module: AuditModule,
      providers: [
        { provide: AUDIT_CONFIG, useValue: config },
        AuditWriter,
        { provide: AUDIT_SINK, useExisting: AuditWriter },
        AuditSequencer,
        AuditCheckpointer,
        AuditQueryService,
        AuditFlagService,
        AuditFlagDetector,
      ],
      exports: [AUDIT_SINK, AUDIT_CONFIG, AuditSequencer, AuditCheckpointer, AuditQueryService, AuditFlagService, AuditFlagDetector],
    };
  }
}
