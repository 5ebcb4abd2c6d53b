import { MemoryStateStore } from '../../shared/dedupe/MemoryStateStore';
import { deliveryScenarios } from '../support/deliveryScenarios';

deliveryScenarios('MemoryStateStore', () => {
  const store = new MemoryStateStore();
  return () => store;
});
