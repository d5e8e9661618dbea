import { subgraphMain } from '../shared/subgraph';
import { createFamilySubgraph } from './subgraph';

subgraphMain('family', createFamilySubgraph);
