import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { PortInUseError, freePorts, startMailpit, startStack, startTemporal } from '../../scripts/stack';

let blocker: net.Server;
let busyPort: number;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(process.env.SIP_TEST_RUN_DIR!, 'ports-'));
  blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  busyPort = (blocker.address() as net.AddressInfo).port;
});

afterAll(async () => {
  await new Promise((resolve) => blocker.close(resolve));
});

test('starting Temporal on a port in use fails with an error that names the port', async () => {
  const [uiPort] = await freePorts(1);
  const attempt = startTemporal({ dataDir, port: busyPort, uiPort });
  await expect(attempt).rejects.toBeInstanceOf(PortInUseError);
  await expect(attempt).rejects.toThrow(`port ${busyPort} (Temporal frontend gRPC) on 127.0.0.1 is already in use`);
});

test('Mailpit names its SMTP port', async () => {
  const [httpPort] = await freePorts(1);
  await expect(startMailpit({ dataDir, smtpPort: busyPort, httpPort })).rejects.toThrow(`port ${busyPort} (Mailpit SMTP)`);
});

test('the whole stack refuses to start, naming the port, before starting anything', async () => {
  const [postgres, mailpitSmtp, mailpitHttp, temporal, temporalUi] = await freePorts(5);
  const started = Date.now();
  await expect(
    startStack({ dataDir, ports: { postgres, ferretdb: busyPort, mailpitSmtp, mailpitHttp, temporal, temporalUi } }),
  ).rejects.toThrow(`port ${busyPort} (FerretDB, MongoDB protocol) on 127.0.0.1 is already in use`);
  expect(Date.now() - started).toBeLessThan(2_000); // checked up front: no server was started and stopped
});
