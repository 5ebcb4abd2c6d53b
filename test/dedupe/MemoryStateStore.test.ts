import { MemoryStateStore } from '../../shared/dedupe/MemoryStateStore';
import { stateStoreContract } from '../support/stateStoreContract';

stateStoreContract('MemoryStateStore', () => new MemoryStateStore());
