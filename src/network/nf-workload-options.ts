import { Size } from 'cdk8s';
import {
  ResourceRequirements,
  WorkloadAutoscaling,
  WorkloadDisruptionBudget,
  WorkloadEnvFrom,
  WorkloadEnvValue,
  WorkloadNodeAffinity,
  WorkloadPodAntiAffinity,
  WorkloadProbe,
  WorkloadToleration,
  WorkloadTopologySpread,
} from '../kpt/blueprint';

/** A volume of the NF's pods, mounted into its container at `mountPath` (sidecars mount it by name). */
export interface NfVolume {
  /** Volume name (DNS-1123 label), unique in the pod. `config` and `tmp` are the NF's own. */
  readonly name: string;
  /** Where the NF's container mounts it. @default - not mounted in the NF's container */
  readonly mountPath?: string;
  /** @default false */
  readonly readOnly?: boolean;
  /** A scratch directory; `medium: 'Memory'` for tmpfs. @default - not this kind */
  readonly emptyDir?: { readonly medium?: 'Memory'; readonly sizeLimit?: Size };
  /** A ConfigMap, by name. @default - not this kind */
  readonly configMap?: string;
  /** A Secret, by name (its content never passes through the program). @default - not this kind */
  readonly secret?: string;
  /** A PersistentVolumeClaim, by claim name. @default - not this kind */
  readonly persistentVolumeClaim?: string;
}

/** A sidecar: another container in the NF's pods. */
export interface NfSidecar {
  /** Container name (DNS-1123 label), other than the NF kind's own. */
  readonly name: string;
  /** Image, pinned by tag or digest. */
  readonly image: string;
  /** @default - the image's entrypoint */
  readonly command?: string[];
  /** @default - the image's arguments */
  readonly args?: string[];
  /** @default - none */
  readonly env?: Record<string, WorkloadEnvValue>;
  /** Requests and limits (either form). @default - none */
  readonly resources?: ResourceRequirements;
  /** Pod volumes it mounts, by volume name. @default - none */
  readonly volumeMounts?: Array<{ readonly volume: string; readonly path: string; readonly readOnly?: boolean }>;
  /** @default - none */
  readonly ports?: Array<{ readonly name: string; readonly port: number; readonly protocol?: 'TCP' | 'UDP' | 'SCTP' }>;
  /** @default - none */
  readonly readinessProbe?: WorkloadProbe;
  /** @default - none */
  readonly livenessProbe?: WorkloadProbe;
}

/**
 * The container's security settings beyond the NF's defaults (non-root unless the kind needs
 * capabilities, no privilege escalation, all capabilities dropped but the kind's, RuntimeDefault
 * seccomp). A setting the namespace's Pod Security level forbids is reported at synth, naming the level.
 */
export interface NfContainerSecurity {
  /** Capabilities added besides the kind's (e.g. `IPC_LOCK` for DPDK). @default - the kind's */
  readonly addCapabilities?: string[];
  /** @default false */
  readonly privileged?: boolean;
  /** @default false */
  readonly allowPrivilegeEscalation?: boolean;
  /** GID of the container and fsGroup of the pod. @default - the runAsUser's */
  readonly runAsGroup?: number;
  /** @default 'RuntimeDefault' */
  readonly seccompProfile?: 'RuntimeDefault' | 'Unconfined';
}

/**
 * How the NF's own workload is shaped (workload model). In the operator model the operator builds
 * the pods, so each of these is reported as having no effect.
 */
export interface NfWorkloadOptions {
  /** @default - none */
  readonly livenessProbe?: WorkloadProbe;
  /** @default - none */
  readonly readinessProbe?: WorkloadProbe;
  /** @default - none */
  readonly startupProbe?: WorkloadProbe;
  /** Environment variables; Secret values by reference only. Add more with `addEnv()`. @default - none */
  readonly env?: Record<string, WorkloadEnvValue>;
  /** ConfigMaps and Secrets whose keys become environment variables. @default - none */
  readonly envFrom?: WorkloadEnvFrom[];
  /** @default - the image's entrypoint */
  readonly command?: string[];
  /** @default - the image's arguments */
  readonly args?: string[];
  /** Node labels the pods require. @default - none */
  readonly nodeSelector?: Record<string, string>;
  /** @default - none */
  readonly nodeAffinity?: WorkloadNodeAffinity;
  /** Keep away from other pods (e.g. another NF's), by their labels. @default - none */
  readonly podAntiAffinity?: WorkloadPodAntiAffinity[];
  /**
   * Spread the replicas across nodes (anti-affinity to the NF's own pods on `kubernetes.io/hostname`):
   * `'required'` never puts two on one node, `'preferred'` avoids it when it can.
   * @default false
   */
  readonly spreadAcrossNodes?: 'required' | 'preferred' | false;
  /** Add more with `addToleration()`. @default - none */
  readonly tolerations?: WorkloadToleration[];
  /** Over the NF's own pods. @default - none */
  readonly topologySpread?: WorkloadTopologySpread[];
  /**
   * A PodDisruptionBudget over the NF's pods; needs 2 or more replicas (or autoscaling from 2),
   * since with one pod a budget either blocks every node drain or protects nothing.
   * @default - none
   */
  readonly podDisruptionBudget?: WorkloadDisruptionBudget;
  /**
   * A HorizontalPodAutoscaler on CPU; the Deployment then carries no `replicas` (so do not set
   * `replicas` or a replicas override), the container needs a CPU request, and quotas count `maxReplicas`.
   * @default - fixed `replicas`
   */
  readonly autoscaling?: WorkloadAutoscaling;
  /** Add more with `addSidecar()`. @default - none */
  readonly sidecars?: NfSidecar[];
  /** Add more with `addVolume()`. @default - none */
  readonly volumes?: NfVolume[];
  /**
   * Where hugepages are mounted (an emptyDir of medium `HugePages-<size>`, hugetlbfs) when the
   * resources ask for `hugepages-2Mi` or `hugepages-1Gi`; with both sizes, at `<path>-2Mi` and `<path>-1Gi`.
   * @default '/dev/hugepages'
   */
  readonly hugepagesMountPath?: string;
  /**
   * Request one virtual function of the device-plugin resource of each SR-IOV network an interface
   * is on (requests == limits). Set false where Multus' network-resources-injector runs with
   * `-honor-resources`, which adds its own count to what a container already requests (in its
   * default mode it leaves a request already written as it is).
   * @default true
   */
  readonly requestSriovDevices?: boolean;
  /** A PriorityClass name. @default - the cluster's default priority */
  readonly priorityClassName?: string;
  /** @default - the NF's defaults */
  readonly securityContext?: NfContainerSecurity;
}
