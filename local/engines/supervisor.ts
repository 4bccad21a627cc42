import type { EngineExit, EngineProcess } from "./dynamodb.ts";

/** One thing that happened to an engine, in Japanese and English, for the log and the status page. */
export interface EngineEvent {
  at: Date;
  ja: string;
  en: string;
}

/** Where an engine stands, as the status page shows it. */
export interface EngineStatus {
  name: string;
  state: "running" | "restarting" | "stopped" | "failed";
  pid?: number;
  restarts: number;
  events: EngineEvent[];
}

/** How the stack watches an engine process. */
export interface SupervisorProps {
  name: string;
  start(): Promise<EngineProcess>;
  /** Whether a restarted engine finds its data again (on disk); an in-memory engine's data dies with it. */
  keepsData: boolean;
  /** Where the stack's log goes. */
  log(line: string): void;
  /** Called once when the engine cannot be kept running: the stack should stop, saying why. */
  giveUp(message: string): void;
}

/** Deaths within this window that make the supervisor give up rather than restart once more. */
const CRASH_LOOP = { deaths: 3, withinMs: 5 * 60_000 };

function describeExit(exit: EngineExit): { ja: string; en: string } {
  return exit.signal
    ? { ja: `シグナル ${exit.signal}`, en: `signal ${exit.signal}` }
    : { ja: `終了コード ${exit.code}`, en: `exit code ${exit.code}` };
}

/**
 * Keeps an engine process running for the stack: when it dies unexpectedly, the stack says so in its log and on the
 * status page and starts it again on the same port and data, so the handlers' endpoint stays the same and nothing
 * else has to change. It gives up, asking the stack to stop with a message, when a restart would not find the data
 * (an in-memory engine), when a restart fails, or when the engine keeps dying (three times in five minutes).
 */
export class EngineSupervisor {
  private engine?: EngineProcess;
  private state: EngineStatus["state"] = "stopped";
  private restarting?: Promise<void>;
  private stopping = false;
  private readonly deaths: number[] = [];
  private restarts = 0;
  private readonly events: EngineEvent[] = [];

  constructor(private readonly props: SupervisorProps) {}

  /** Starts the engine and watches it; returns its endpoint. */
  async start(): Promise<string> {
    this.engine = await this.props.start();
    this.state = "running";
    this.watch(this.engine);
    return this.engine.endpoint;
  }

  private note(ja: string, en: string): void {
    this.events.push({ at: new Date(), ja, en });
    this.props.log(`${ja}\n${en}`);
  }

  private watch(engine: EngineProcess): void {
    void engine.exited.then((exit) => {
      if (this.stopping || engine !== this.engine) return;
      this.restarting = this.recover(engine, exit);
    });
  }

  private async recover(engine: EngineProcess, exit: EngineExit): Promise<void> {
    const { name } = this.props;
    const how = describeExit(exit);
    const now = Date.now();
    this.deaths.push(now);
    const recent = this.deaths.filter((at) => now - at <= CRASH_LOOP.withinMs).length;
    const give = (ja: string, en: string) => {
      this.state = "failed";
      this.note(ja, en);
      this.props.giveUp(`${ja}\n${en}`);
    };
    if (!this.props.keepsData)
      return give(
        `${name}（pid ${engine.pid}）が停止しました（${how.ja}）。データはメモリ上にあったため失われました。ローカル環境を停止します。`,
        `${name} (pid ${engine.pid}) died (${how.en}); its data was in memory and is gone. Stopping the local stack.`,
      );
    if (recent >= CRASH_LOOP.deaths)
      return give(
        `${name} が短時間に${recent}回停止したため、再起動せずにローカル環境を停止します。最後のエラー：${exit.stderr || "（なし）"}`,
        `${name} died ${recent} times within five minutes; stopping the local stack instead of restarting it. Its last error: ${exit.stderr || "(none)"}`,
      );
    this.state = "restarting";
    this.note(
      `${name}（pid ${engine.pid}）が停止しました（${how.ja}）。同じポートとデータで再起動します…`,
      `${name} (pid ${engine.pid}) died (${how.en}); restarting it on the same port and data…`,
    );
    try {
      const restarted = await this.props.start();
      this.engine = restarted;
      this.restarts += 1;
      if (this.stopping) {
        await restarted.stop();
        return;
      }
      this.state = "running";
      this.note(
        `${name} を再起動しました（pid ${restarted.pid}）。データはそのままです。`,
        `${name} restarted (pid ${restarted.pid}); its data is as it was.`,
      );
      this.watch(restarted);
    } catch (error) {
      give(
        `${name} を再起動できませんでした：${(error as Error).message}。ローカル環境を停止します。`,
        `${name} could not be restarted: ${(error as Error).message}. Stopping the local stack.`,
      );
    }
  }

  /** Where the engine stands now, for the status page. */
  status(): EngineStatus {
    return {
      name: this.props.name,
      state: this.state,
      pid: this.state === "running" ? this.engine?.pid : undefined,
      restarts: this.restarts,
      events: [...this.events],
    };
  }

  /** Stops the engine, waiting for a restart under way; an engine already dead is simply done. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.restarting;
    await this.engine?.stop();
    this.state = "stopped";
  }
}
