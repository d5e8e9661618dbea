import { HeaderMap, type ApolloServerPlugin, type GraphQLRequestContextDidResolveOperation } from '@apollo/server';
import DataLoader from 'dataloader';
import { execute, GraphQLError, type GraphQLSchema } from 'graphql';
import { HTTP_STATUS, messageOf, type Outcome } from '../../subgraphs/shared/errors';
import { regionOfId } from '../../subgraphs/shared/ids';
import type { Identity, Role } from '../../subgraphs/shared/identity';
import type { InternalClient } from '../../subgraphs/shared/internal';
import { must } from '../../subgraphs/shared/must';
import type { Observability } from '../../subgraphs/shared/server/observability';
import type { ServerContext } from '../../subgraphs/shared/server/context';
import { MAX_IDS_PER_LOOKUP, settlementsApi } from '../../subgraphs/shared/contracts/settlements';
import type { Refusal, Resolution } from '../../subgraphs/shared/contracts/credentials';
import { CARD_REFUSALS, ownCardRefusal } from '../../subgraphs/shared/ownCard';
import { SpanKind, traced } from '../../subgraphs/shared/server/tracing';
import { GatewayError } from '../errors';
import { analyzeOperation, fragmentsOf, limitExceeded, type Analysis } from './analyze';
import type { CredentialResolver } from './credentials';
import { findTextProblem } from './inputText';
import { patientsNamed, type NamedPatient, type PatientLocator } from './patientRule';
import { introspectionUse, scopeSuggestions } from './introspection';

/**
 * Everything the gateway decides about an operation before any subgraph is asked, in order:
 * which operation runs, its size (depth and cost; also checked before validation, admission.ts),
 * the caller's role for every field, the text rules for every String and ID argument
 * (inputText.ts), and the patient's own card for every field that names a patient. Each refusal has
 * its own code; none costs more than walking the document a few times, the look-ups of the
 * settlements it names, and one credential look-up.
 */

export interface GatewayContext extends ServerContext {
  /** The X-Insurance-Credential header as presented, if any; looked up only when the operation needs it. */
  credential?: string;
  /** The size and role analysis admission.ts made of this request before validation, when it could read it. */
  analysis?: Analysis;
  /** Set by the guard for an operation that only introspects: it is answered from the caller's schema. */
  introspectsOnly?: boolean;
}

/** Refuses the operation before any subgraph is asked; Apollo answers with the code's HTTP status. */
export function refuse(outcome: Outcome): never {
  throw new GraphQLError(messageOf(outcome), { extensions: { code: outcome.code, http: { status: HTTP_STATUS[outcome.code] } } });
}

export interface GuardDependencies {
  observability: Observability;
  locators: ReadonlyMap<string, PatientLocator[]>;
  credentials: CredentialResolver;
  settlements: InternalClient;
  /** Each caller's part of the graph (roleSchema.ts), anonymous included: introspection and suggestions come from it. */
  roleSchemas: ReadonlyMap<Role | null, GraphQLSchema>;
}

/**
 * The distinct patients an operation names, in the order named: persons as given, settlements as
 * their patients. Settlement ids are looked up once each, in batches the settlements internal API
 * accepts, so any number of them ends in a verdict; an unknown or malformed settlement id names no
 * patient here (the subgraph answers NOT_FOUND for it).
 */
async function claimedPatients(patients: readonly NamedPatient[], settlements: InternalClient, requestId: string): Promise<string[]> {
  const patientOf = new DataLoader<string, string | null>(
    async (ids) => (await settlements.call(settlementsApi.patients, { ids: [...ids] }, requestId)).patients,
    { maxBatchSize: MAX_IDS_PER_LOOKUP },
  );
  const ids = await Promise.all(
    patients.map((patient) => {
      if (patient.via === 'PERSON') return patient.id;
      if (patient.via === 'SETTLEMENT' && patient.id && regionOfId(patient.id)) return patientOf.load(patient.id);
      return null;
    }),
  );
  return [...new Set(ids.flatMap((id) => (id === null ? [] : [id])))];
}

/**
 * Resolves the card presented and, when it may be used, passes its verified holder on in the signed
 * identity (a counter reads the person whose own card it presents, and nobody else). `fresh` for
 * money-moving operations: a revoked or suspended credential never moves money, on any replica.
 */
async function presentCard(context: GatewayContext, credentials: CredentialResolver, fresh: boolean): Promise<Resolution | null> {
  if (!context.credential) return null;
  const resolution = await credentials.resolve(context.credential, { fresh });
  if (resolution && !resolution.suspended) context.identity = { ...context.identity, credentialHolderId: resolution.holderId };
  return resolution;
}

/** 本人参保，本人享受 (subgraphs/shared/ownCard.ts): every refusal audited, a mismatch counted toward the holder's suspension. */
async function checkOwnCard(
  identity: Identity,
  context: GatewayContext,
  patients: readonly NamedPatient[],
  movesMoney: boolean,
  operationName: string | null,
  deps: GuardDependencies,
): Promise<void> {
  const claimed = await claimedPatients(patients, deps.settlements, identity.requestId);
  const verdict = async (code: Refusal['code']): Promise<never> => {
    deps.observability.events.labels('credential_refusal', code).inc();
    await deps.credentials.recordRefusal({
      code,
      token: context.credential ?? null,
      claimedPatients: claimed.filter((id) => regionOfId(id) !== null),
      claimedPatientCount: claimed.length,
      terminalSub: identity.sub ?? '',
      institutionId: identity.institutionId ?? null,
      operationName,
      requestId: identity.requestId,
    });
    return refuse(CARD_REFUSALS[code]);
  };
  // Without a card nothing is looked up.
  const resolution = await presentCard(context, deps.credentials, movesMoney);
  const refusal = ownCardRefusal(
    { presented: Boolean(context.credential), holderId: resolution?.holderId ?? null, suspended: resolution?.suspended ?? false },
    claimed,
  );
  if (refusal) return verdict(refusal);
}

/** The guard's decisions on one resolved operation, in the order the module comment gives; throws the refusal. */
async function guardOperation(
  { document, operation, operationName, request, schema, contextValue }: GraphQLRequestContextDidResolveOperation<GatewayContext>,
  deps: GuardDependencies,
): Promise<void> {
  // Apollo Server resolves no operation when several are sent without operationName, or the name is unknown,
  // and would hand that to the gateway's executor, which throws (a 500). Refuse it here, as Apollo does alone.
  if (!operation) {
    if (request.operationName) refuse(GatewayError.noSuchOperation(request.operationName));
    refuse(GatewayError.operationNotNamed);
  }
  const fragments = fragmentsOf(document);
  const variables = request.variables ?? {};
  const { identity } = contextValue;
  const analysis = contextValue.analysis ?? analyzeOperation(schema, operation, fragments, variables, identity.role);
  if (analysis.exceeded) refuse(limitExceeded(analysis.exceeded));
  if (analysis.refused.length > 0) {
    const field = analysis.refused[0];
    if (identity.role === null) refuse(GatewayError.fieldNeedsToken(field));
    refuse(GatewayError.roleMayNotUse(identity.role, field));
  }
  const introspection = introspectionUse(operation, fragments);
  if (introspection === 'MIXED') refuse(GatewayError.introspectionMixed);
  contextValue.introspectsOnly = introspection === 'ONLY';
  const badText = findTextProblem(schema, document, operation, variables);
  if (badText) refuse(GatewayError.argumentText(badText.field, badText));
  let patients: NamedPatient[];
  try {
    patients = patientsNamed(schema, operation, fragments, variables, deps.locators);
  } catch (error) {
    refuse(GatewayError.patientArgumentInvalid((error as Error).message));
  }
  // The card is looked up only when the operation needs it, so nobody else can time whether a credential exists.
  if (patients.length > 0)
    await checkOwnCard(identity, contextValue, patients, operation.operation === 'mutation', operationName ?? null, deps);
  else if (identity.role === 'TERMINAL') await presentCard(contextValue, deps.credentials, false);
}

export function guardPlugin(deps: GuardDependencies): ApolloServerPlugin<GatewayContext> {
  const schemaOf = (role: Role | null) => must(deps.roleSchemas.get(role), 'roleSchemas has every role and the anonymous caller');
  return {
    async requestDidStart() {
      return {
        async didResolveOperation(requestContext) {
          // One span for every decision, with the card and settlement look-ups it makes as its children.
          await traced('gateway.guard', SpanKind.INTERNAL, {}, () => guardOperation(requestContext, deps));
        },
        // The gateway would answer introspection from the whole API: answer it from the caller's part instead.
        async responseForOperation({ document, operationName, request, contextValue }) {
          if (!contextValue.introspectsOnly) return null;
          const { data, errors } = await execute({
            schema: schemaOf(contextValue.identity.role),
            document,
            operationName,
            variableValues: request.variables,
          });
          if (!errors) return { http: { headers: new HeaderMap() }, body: { kind: 'single', singleResult: { data } } };
          // Introspection fields do not fail: errors here are variables that do not fit, refused as Apollo refuses them elsewhere.
          return {
            http: { status: HTTP_STATUS.BAD_USER_INPUT, headers: new HeaderMap() },
            body: {
              kind: 'single',
              singleResult: { errors: errors.map((error) => ({ ...error.toJSON(), extensions: { code: 'BAD_USER_INPUT' } })) },
            },
          };
        },
        // Suggestions spell out the schema: each caller gets those of its own part of the graph, or none.
        async willSendResponse({ response, contextValue, document, request }) {
          if (response.body.kind !== 'single' || !response.body.singleResult.errors) return;
          const { singleResult } = response.body;
          const errors = singleResult.errors ?? [];
          const messages = scopeSuggestions(
            errors.map((error) => error.message),
            schemaOf(contextValue.identity.role),
            document,
            request.operationName,
            request.variables ?? {},
          );
          singleResult.errors = errors.map((error, index) => ({ ...error, message: messages[index] }));
        },
      };
    },
  };
}
