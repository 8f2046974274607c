import { Global, Module } from '@nestjs/common';
import { Integrator } from './integrator.service.js';
import { LogApiController } from './log-api.controller.js';
import { LogSignals } from './log-signals.js';
import { LogSigning } from './log-signing.service.js';
import { LogStore } from './log-store.js';
import { LogTilesController } from './log-tiles.controller.js';
import { LogWriter } from './log-writer.service.js';
import { WakeOnCommit } from './wake-on-commit.js';
import { WitnessCollector } from './witness-collector.service.js';

@Global()
@Module({
  controllers: [LogTilesController, LogApiController],
  providers: [LogWriter, LogSignals, LogSigning, LogStore, Integrator, WakeOnCommit, WitnessCollector],
  exports: [LogWriter, LogStore, LogSigning, LogSignals, Integrator, WitnessCollector],
})
export class LogModule {}
