import { subgraphMain } from '../shared/subgraph';
import { createSettlementsSubgraph } from './subgraph';

subgraphMain('settlements', createSettlementsSubgraph);
