import { MemoryStateStore } from '../../shared/dedupe/MemoryStateStore';
import { stateStoreContract } from './stateStoreContract';

stateStoreContract('MemoryStateStore', () => new MemoryStateStore());
