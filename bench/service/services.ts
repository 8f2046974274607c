import { join } from 'node:path';
import { type LogMode, ServiceProcess } from './service-process.js';

/** At most one service process on a database at a time, in the mode asked for. */
export class Services {
  private current?: ServiceProcess;
  private currentKey?: string;
  private starts = 0;

  constructor(
    private readonly databaseUrl: string,
    private readonly dataDir: string,
    private readonly name: string,
  ) {}

  /** The service in `mode` with the extra settings `env`, started unless it runs already. */
  async use(mode: LogMode, env: Record<string, string> = {}): Promise<ServiceProcess> {
    const key = `${mode} ${JSON.stringify(env)}`;
    if (this.current && this.currentKey === key) return this.current;
    await this.stop();
    this.current = await ServiceProcess.start({
      databaseUrl: this.databaseUrl,
      dataDir: this.dataDir,
      mode,
      env,
      logFile: join(this.dataDir, `${this.name}-${++this.starts}-${mode}.log`),
    });
    this.currentKey = key;
    return this.current;
  }

  /** A fresh process (the previous one stopped), e.g. to measure memory from a cold start. */
  async restart(mode: LogMode, env: Record<string, string> = {}): Promise<ServiceProcess> {
    await this.stop();
    return this.use(mode, env);
  }

  async stop(): Promise<void> {
    const current = this.current;
    this.current = undefined;
    await current?.stop();
  }
}
