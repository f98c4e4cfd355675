// `tsx bench/round-robin-proxy-cli.ts <port> <upstream>...`: the replicas environment's
// round-robin proxy (e2e/replicas/round-robin-proxy.ts) as a process of its own, so the
// benchmark's load generator and the proxy do not share one event loop. Stops on SIGTERM.
import { startRoundRobinProxy } from '../e2e/replicas/round-robin-proxy.ts';

const [port, ...upstreams] = process.argv.slice(2);
if (!port || upstreams.length === 0) {
  console.error('usage: tsx bench/round-robin-proxy-cli.ts <port> <upstream URL>...');
  process.exit(2);
}
const proxy = await startRoundRobinProxy(upstreams, { host: 'localhost', port: Number(port) });
process.once('SIGTERM', () => {
  void proxy.close().then(() => process.exit(0));
});
