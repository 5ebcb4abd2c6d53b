import { MemoryStateStore } from '../../shared/dedupe/MemoryStateStore';
import { deliveryScenarios } from './deliveryScenarios';

deliveryScenarios('MemoryStateStore', () => {
  const store = new MemoryStateStore();
  return () => store;
});
