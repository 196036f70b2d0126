import { ApiObject, ApiObjectMetadata, GroupVersionKind } from 'cdk8s';
import { Construct } from 'constructs';

/** Props of a ref.nephio.org Config. */
export interface ConfigRefProps {
  readonly metadata: ApiObjectMetadata;
  /** The embedded object, e.g. a peer's NFDeployment. */
  readonly config: Record<string, any>;
}

/**
 * A `ref.nephio.org/v1alpha1` Config: one embedded object an NF's operator reads through the
 * NFDeployment's `parametersRefs` (the free5gc SMF reads its UPFs' NFDeployments this way, the OAI RAN
 * operator its AMF's or CU-CP's). Schema: nephio-project/api config/crd/bases/ref.nephio.org_configs.yaml.
 */
export class ConfigRef extends ApiObject {
  public static readonly GVK: GroupVersionKind = { apiVersion: 'ref.nephio.org/v1alpha1', kind: 'Config' };

  constructor(scope: Construct, id: string, props: ConfigRefProps) {
    super(scope, id, { ...ConfigRef.GVK, metadata: props.metadata, spec: { config: props.config } });
  }
}
