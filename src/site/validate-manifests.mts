// Validates Kubernetes objects against the kubernetes-models schemas (ESM-only packages, hence a child process): JSON array on stdin, one problem per line on stdout.
import { ConfigMap } from 'kubernetes-models/v1';
import { PodMonitor, PrometheusRule, ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { AlertmanagerConfig } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1';

// the models' declarations do not resolve their base class under this project's module resolution
const MODELS: Record<string, new (data: never) => unknown> = {
  'v1/ConfigMap': ConfigMap,
  'monitoring.coreos.com/v1/PrometheusRule': PrometheusRule,
  'monitoring.coreos.com/v1/PodMonitor': PodMonitor,
  'monitoring.coreos.com/v1/ServiceMonitor': ServiceMonitor,
  'monitoring.coreos.com/v1alpha1/AlertmanagerConfig': AlertmanagerConfig,
};

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function main(): Promise<void> {
  const objects = JSON.parse(await readStdin()) as { apiVersion?: string; kind?: string; metadata?: { name?: string } }[];
  const problems: string[] = [];
  for (const object of objects) {
    const id = `${object.kind ?? '?'} ${object.metadata?.name ?? '?'}`;
    const Model = MODELS[`${object.apiVersion}/${object.kind}`];
    if (!Model) {
      problems.push(`${id}: ${object.apiVersion}/${object.kind} is not a kind this package writes`);
      continue;
    }
    try {
      (new Model(object as never) as { validate(): void }).validate();
    } catch (error) {
      problems.push(`${id}: ${(error as Error).message.replace(/\s+/g, ' ')}`);
    }
  }
  process.stdout.write(problems.map((p) => `${p}\n`).join(''));
  process.exitCode = problems.length > 0 ? 1 : 0;
}

void main();
