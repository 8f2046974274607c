import { Global, Module } from '@nestjs/common';
import { LogWriter } from './log-writer.service.js';

@Global()
@Module({
  providers: [LogWriter],
  exports: [LogWriter],
})
export class LogModule {}
