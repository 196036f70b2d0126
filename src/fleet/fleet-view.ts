import { IFleetView, IPackageBlueprint, PlacedInstance } from '../kpt/blueprint';

/**
 * Where a fleet deploys each blueprint, built once per synth from the placement plan: every
 * cluster with its target, the blueprint's merged overrides there and the addresses its
 * interfaces got. Instances are in cluster-name order.
 */
export class FleetView implements IFleetView {
  private readonly instances = new Map<IPackageBlueprint, PlacedInstance[]>();

  /** Records one instance; called in cluster-name order. */
  public add(blueprint: IPackageBlueprint, instance: PlacedInstance): void {
    let list = this.instances.get(blueprint);
    if (!list) this.instances.set(blueprint, list = []);
    list.push(instance);
  }

  public instancesOf(blueprint: IPackageBlueprint): PlacedInstance[] {
    return [...(this.instances.get(blueprint) ?? [])];
  }
}
