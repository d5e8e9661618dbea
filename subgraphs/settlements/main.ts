import { subgraphMain } from '../shared/subgraph';
import { createSettlementsSubgraph } from './service';

subgraphMain('settlements', createSettlementsSubgraph);
