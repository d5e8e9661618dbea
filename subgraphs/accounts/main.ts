import { subgraphMain } from '../shared/subgraph';
import { createAccountsSubgraph } from './subgraph';

subgraphMain('accounts', createAccountsSubgraph);
