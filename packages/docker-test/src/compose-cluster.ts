/**
 * The kubesim compose cluster (compose.yaml at the repository root) as the docker suite uses it:
 * up, down, the containers it has, and the stock kubectl pointed at its published apiserver.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeKubeconfig } from '@kubesim/testing';
import { composeCommand, run } from './run.js';

export interface ComposeClusterOptions {
  /** The repository root, where compose.yaml is. */
  repoRoot: string;
  /** Compose project name; default `kubesim`. */
  project?: string;
  /** Host port the apiserver is published on (127.0.0.1). */
  apiPort: number;
  profile?: 'default' | 'fast';
  /** LoadBalancer EXTERNAL-IP range on the host's loopback. */
  lbRange?: string;
}

/** A compose project of the kubesim cluster. `up()` starts it; `down()` removes everything. */
export class ComposeCluster {
  readonly project: string;
  readonly kubeconfig: string;
  private compose?: string[];

  constructor(readonly options: ComposeClusterOptions) {
    this.project = options.project ?? 'kubesim';
    this.kubeconfig = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kubesim-compose-')), 'kubeconfig');
    writeKubeconfig(this.kubeconfig, this.apiserverUrl);
  }

  get apiserverUrl(): string {
    return `http://127.0.0.1:${this.options.apiPort}`;
  }

  /** `compose up -d` with the image already built (scripts/docker-setup.sh builds it). */
  async up(): Promise<void> {
    await this.composeRun(['up', '-d', '--no-build'], 300_000);
  }

  /** `compose down -v`: containers, network and the NATS volume. */
  async down(): Promise<void> {
    await this.composeRun(['down', '-v', '--remove-orphans', '--timeout', '5'], 180_000);
  }

  /** Names of this project's containers, running or not. */
  async containers(): Promise<string[]> {
    const out = await run('docker', ['ps', '-a', '--filter', `label=com.docker.compose.project=${this.project}`, '--format', '{{.Names}}']);
    return out.split('\n').filter(Boolean).sort();
  }

  /** The state of one container (`running`, `exited`, ...), or undefined when it does not exist. */
  async state(container: string): Promise<string | undefined> {
    return run('docker', ['inspect', '-f', '{{.State.Status}}', container]).then(
      (s) => s.trim(),
      () => undefined,
    );
  }

  /** The host's stock kubectl against this cluster; resolves with stdout. */
  kubectl(args: readonly string[], stdin?: string): Promise<string> {
    const full = ['--kubeconfig', this.kubeconfig, ...args];
    if (stdin === undefined) return run('kubectl', full, { timeoutMs: 30_000 });
    const file = path.join(path.dirname(this.kubeconfig), `stdin-${Date.now()}.yaml`);
    fs.writeFileSync(file, stdin);
    return run('kubectl', full.map((a) => (a === '-' ? file : a)), { timeoutMs: 30_000 });
  }

  private async composeRun(args: readonly string[], timeoutMs: number): Promise<string> {
    this.compose ??= await composeCommand();
    if (!this.compose) throw new Error('neither `docker compose` nor `docker-compose` is installed');
    const [cmd, ...pre] = this.compose;
    const env: Record<string, string> = {
      KUBESIM_API_PORT: String(this.options.apiPort),
      KUBESIM_PROFILE: this.options.profile ?? 'default',
      ...(this.options.lbRange ? { KUBESIM_LB_RANGE: this.options.lbRange } : {}),
    };
    return run(cmd!, [...pre, '-p', this.project, '-f', path.join(this.options.repoRoot, 'compose.yaml'), ...args], {
      cwd: this.options.repoRoot,
      env,
      timeoutMs,
    });
  }
}
