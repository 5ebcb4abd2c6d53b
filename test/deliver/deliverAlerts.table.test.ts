import { TableStateStore } from '../../shared/dedupe/TableStateStore';
import { useAzuriteTable } from '../support/azurite';
import { deliveryScenarios } from '../support/deliveryScenarios';

const azurite = useAzuriteTable();
let worlds = 0;

// Each scenario gets its own tables; each run opens its own client on them, as separate processes would.
deliveryScenarios('TableStateStore on Azurite', () => {
  const tablePrefix = `d${process.pid}n${++worlds}`;
  return () => TableStateStore.fromConnectionString(azurite().connectionString, { tablePrefix });
});
