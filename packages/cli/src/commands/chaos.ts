import { ChaosSetupError, runChaos } from '../chaos/run.js';
import { parseChaosArgs } from '../chaos/options.js';
import { formatReport } from '../chaos/report.js';
import type { Command } from './command.js';

export const chaos: Command = {
  name: 'chaos',
  summary: 'inject faults (kill, pause, restart, cut off) and measure how the cluster recovers',
  usage: `Usage: kubesim chaos [--target T] [--fault F] [--every D --for D] [--seed N] [--service NS/NAME] [flags]

Injects faults into the running cluster of the data dir and measures its steady state while it
heals: every Deployment's available vs declared replicas and every Node's readiness (sampled
each second over the API), the success rate of continuous requests through a LoadBalancer
Service (--service), and per fault the time until the cluster has recovered (every Node Ready,
every Deployment available == declared, the API answering and the LoadBalancer serving). Ends
with a report (a table, or JSON with --json).
Only processes recorded in state.json or found as the cluster's containers are signalled.

Targets (--target, default random):
  node/NAME             the node's kubelet, its proxy and its pods' containers
  pod/NAME              the containers of a pod (in --namespace); also pod/NAMESPACE/NAME
  component/NAME        one supervised component: scheduler, controller-manager, lb, dns,
                        kubelet-node-1, proxy-node-1, … (names as kubesim status lists them)
  apiserver, nats       the apiserver (one of them with --ha), nats-server
  random                a seeded choice over all of the above, drawn anew for each fault

Faults (--fault, default kill):
  kill      SIGKILL
  pause     SIGSTOP, then SIGCONT after --duration
  restart   SIGTERM: the supervisor (or the kubelet, for containers) starts it again
  cut       cut a node off from NATS for --duration (through the node's nats-relay-NODE, which
            kubesim up runs unless --bind-address is 0.0.0.0)
  random    a seeded choice among those the target allows

Flags:
  --data-dir DIR            the cluster's data dir (default .kubesim)
  --every D --for D         a fault every D for D (e.g. --every 10s --for 5m); default: one fault
  --duration D              how long a pause or cut lasts (default 3s)
  --seed N                  makes random choices repeatable (default: from the clock; the report shows it)
  --service [NS/]NAME       a LoadBalancer Service to send continuous requests through
  -n, --namespace NS        namespace for pod/NAME and --service NAME (default default)
  --recovery-timeout D      how long to wait for recovery after the last fault (default 60s)
  --json                    print the report as JSON (fault lines go to stderr)

Exit code: 0 when the cluster recovered after the last fault, 1 when it did not.

Examples:
  kubesim chaos --target component/scheduler --fault kill
  kubesim chaos --target node/node-2 --fault pause --duration 8s --service web
  kubesim chaos --target random --fault random --every 5s --for 2m --seed 42 --service default/web --json
`,
  async run(argv, io) {
    const opts = parseChaosArgs(argv, io.cwd);
    const controller = new AbortController();
    const stop = () => controller.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const log = (line: string) => (opts.json ? io.stderr : io.stdout).write(`${line}\n`);
    try {
      const report = await runChaos(opts, log, controller.signal);
      io.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : `\n${formatReport(report)}`);
      return report.recovery.recovered ? 0 : 1;
    } catch (err) {
      if (!(err instanceof ChaosSetupError)) throw err;
      io.stderr.write(`kubesim chaos: ${err.message}\n`);
      return 1;
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
  },
};
