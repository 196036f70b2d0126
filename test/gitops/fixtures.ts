import { RepoTree } from '../../src/repo/repo-tree';

export const ALICE = { name: 'Alice Author', email: 'alice@example.com' };
export const BOB = { name: 'Bob Reviewer', email: 'bob@example.com' };
export const CAROL = { name: 'Carol Reviewer', email: 'carol@example.com' };

function kptfile(name: string): string {
  return `apiVersion: kpt.dev/v1\nkind: Kptfile\nmetadata:\n  name: ${name}\n  annotations:\n    config.kubernetes.io/local-config: "true"\ninfo:\n  description: ${name}\n`;
}

function deployment(name: string, namespace: string, replicas: number, image = 'free5gc/amf:v3.4.3'): string {
  return `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\nspec:\n  replicas: ${replicas}\n  template:\n    spec:\n      containers:\n        - name: ${name}\n          image: ${image}\n`;
}

/** Options of the example fleet tree. */
export interface FleetOptions {
  readonly productionReplicas?: number;
  readonly stagingReplicas?: number;
  readonly developmentReplicas?: number;
  readonly withSmf?: boolean;
  readonly withConfigMap?: boolean;
}

/**
 * A small deployment repository: one blueprint, hydrated packages in three environments, and a
 * cluster folder, laid out the way the synthesizer lays them out.
 */
export function fleetTree(options: FleetOptions = {}): RepoTree {
  const files: Record<string, string> = {
    'packages/network-functions/amf/Kptfile': kptfile('amf'),
    'packages/network-functions/amf/deployment-amf.yaml': deployment('amf', 'example', 1),
    'deployments/production/edge01/amf/Kptfile': kptfile('amf'),
    'deployments/production/edge01/amf/deployment-amf.yaml': deployment('amf', 'amf', options.productionReplicas ?? 2),
    'deployments/staging/lab01/amf/Kptfile': kptfile('amf'),
    'deployments/staging/lab01/amf/deployment-amf.yaml': deployment('amf', 'amf', options.stagingReplicas ?? 1),
    'deployments/development/dev01/amf/Kptfile': kptfile('amf'),
    'deployments/development/dev01/amf/deployment-amf.yaml': deployment('amf', 'amf', options.developmentReplicas ?? 1),
    'clusters/edge01/rootsync.yaml': 'apiVersion: configsync.gke.io/v1beta1\nkind: RootSync\nmetadata:\n  name: root-sync\n  namespace: config-management-system\nspec:\n  sourceFormat: unstructured\n',
  };
  if (options.withSmf) {
    files['deployments/development/dev01/smf/Kptfile'] = kptfile('smf');
    files['deployments/development/dev01/smf/deployment-smf.yaml'] = deployment('smf', 'smf', 1, 'free5gc/smf:v3.4.3');
  }
  if (options.withConfigMap) {
    files['deployments/development/dev01/amf/configmap-amf.yaml'] = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: amf-config\n  namespace: amf\ndata:\n  plmn: "00101"\n';
  }
  return RepoTree.fromRecord(files);
}
