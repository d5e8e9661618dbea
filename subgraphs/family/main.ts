import { subgraphMain } from '../shared/subgraph';
import { createFamilySubgraph } from './service';

subgraphMain('family', createFamilySubgraph);
