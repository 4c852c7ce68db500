/**
 * The real workflows and activities in the test process, on the harness's Temporal dev server
 * (visibility works there), for the api tests that need running workflows. Mail goes through the
 * shared Mailpit with links built on the api's own address, as in production.
 */
import type { Transporter } from 'nodemailer';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { createMailTransport } from '../../activities/mail';
import { bundleWorkflows } from '../support/temporal';
import type { ApiHarness } from './support';

export interface TestWorker {
  /** Domain of the staff and board mailboxes of this file. */
  domain: string;
  stop(): Promise<void>;
}

/** Starts a worker on the api harness's task queue; `stop()` drains it (call before `h.close()`). */
export async function startWorker(h: ApiHarness, domain: string): Promise<TestWorker> {
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // installed already in this process
  }
  const connection = await NativeConnection.connect({ address: h.config.TEMPORAL_ADDRESS });
  const transport: Transporter = createMailTransport({ SMTP_URL: h.config.SMTP_URL, SMTP_POOL_SIZE: 4 });
  const quiet = { info: () => undefined, warn: () => undefined, error: (...args: unknown[]) => console.error(...args) };
  const worker = await Worker.create({
    connection,
    namespace: h.config.TEMPORAL_NAMESPACE,
    taskQueue: h.config.TEMPORAL_TASK_QUEUE,
    workflowBundle: await bundleWorkflows(require.resolve('../../workflows')),
    activities: createActivities({
      models: h.models,
      temporalClient: h.temporal,
      mail: {
        transport,
        config: {
          MAIL_FROM: `Smart in Progress <participation@${domain}>`,
          PUBLIC_BASE_URL: h.baseUrl,
          LINK_SECRET: h.config.LINK_SECRET,
          SMTP_POOL_SIZE: 4,
        },
        logger: quiet,
        roleMailboxes: { staff: `staff@${domain}`, boardSecretary: { BE: `board-be@${domain}`, FR: `board-fr@${domain}` } },
      },
    }),
    shutdownGraceTime: '5 seconds',
  });
  const running = worker.run();
  return {
    domain,
    async stop() {
      worker.shutdown();
      await running.catch(() => undefined);
      transport.close();
      await connection.close();
    },
  };
}
