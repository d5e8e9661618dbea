import { subgraphMain } from '../shared/subgraph';
import { createAccountsSubgraph } from './service';

subgraphMain('accounts', createAccountsSubgraph);
