/** The gateway topology on loopback: one agent (agent-loadbalancing.yaml) → N gateways (gateway.yaml) → a stack's Jaeger. */
import path from 'node:path';
import { loopback } from '../../../src/stack/configs';
import { freePorts } from '../../../src/stack/ports';
import type { RunningStack } from '../../../src/stack/stack';
import { startCollector, type CollectorProcess } from './backends';

const CONFIG_DIR = path.join(__dirname, '..', '..', '..', 'otel-collector');

export interface GatewayTier {
  /** OTLP/HTTP base URL of the agent. */
  agentHttp: string;
  /** Each gateway's own metrics endpoint, by gateway id. */
  gatewayMetrics: Map<string, string>;
  /** Stops the agent first, then the gateways (each flushes what it holds). */
  stop(): Promise<void>;
}

export interface GatewayTierOptions {
  otelcol: string;
  stack: RunningStack;
  /** Directory for the Collectors' logs. */
  work: string;
  gateways: readonly string[];
  /** Extra environment for every gateway (tail sampling knobs, for instance). */
  gatewayEnv?: Record<string, string>;
}

export async function startGatewayTier(options: GatewayTierOptions): Promise<GatewayTier> {
  const { otelcol, stack, work, gateways } = options;
  const ports = await freePorts(gateways.length * 4 + 4);
  const take = () => ports.pop()!;
  const gatewayProcesses: CollectorProcess[] = [];
  let agent: CollectorProcess | undefined;
  const stop = async () => {
    await agent?.stop();
    await Promise.all(gatewayProcesses.map((c) => c.stop()));
  };
  const gatewayGrpc: string[] = [];
  const gatewayMetrics = new Map<string, string>();
  try {
    for (const id of gateways) {
      const grpc = loopback(take());
      const health = loopback(take());
      const telemetry = take();
      gatewayGrpc.push(grpc);
      gatewayMetrics.set(id, `http://${loopback(telemetry)}/metrics`);
      gatewayProcesses.push(
        await startCollector(
          otelcol,
          path.join(CONFIG_DIR, 'gateway.yaml'),
          {
            ...options.gatewayEnv,
            GATEWAY_ID: id,
            OTLP_GRPC_ENDPOINT: grpc,
            OTLP_HTTP_ENDPOINT: loopback(take()),
            HEALTH_CHECK_ENDPOINT: health,
            COLLECTOR_TELEMETRY_PORT: String(telemetry),
            TRACE_BACKEND_OTLP_ENDPOINT: loopback(stack.ports.jaegerOtlpGrpc),
          },
          health,
          path.join(work, `${id}.log`),
        ),
      );
    }
    const agentHttp = loopback(take());
    const agentHealth = loopback(take());
    agent = await startCollector(
      otelcol,
      path.join(CONFIG_DIR, 'agent-loadbalancing.yaml'),
      {
        OTLP_GRPC_ENDPOINT: loopback(take()),
        OTLP_HTTP_ENDPOINT: agentHttp,
        HEALTH_CHECK_ENDPOINT: agentHealth,
        COLLECTOR_TELEMETRY_PORT: String(take()),
        PROMETHEUS_OTLP_ENDPOINT: `${stack.urls.prometheus}/api/v1/otlp`,
        GATEWAY_OTLP_ENDPOINTS: `[${gatewayGrpc.join(', ')}]`,
      },
      agentHealth,
      path.join(work, 'agent.log'),
    );
    return { agentHttp: `http://${agentHttp}`, gatewayMetrics, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
