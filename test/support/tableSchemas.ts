/**
 * The documented columns of the two tables Flexible Server logs land in (../shared/docs/azure-postgres-logs.md,
 * Microsoft's table reference). The Kusto analyzer checks our queries against them and the Log Analytics
 * stand-in refuses a query that names anything else, as the service would.
 */
export const TABLE_SCHEMAS: Record<'PGSQLServerLogs' | 'AzureDiagnostics', Record<string, KustoType>> = {
  PGSQLServerLogs: {
    TimeGenerated: 'datetime', Message: 'string', ErrorLevel: 'string', SqlErrorCode: 'string', ProcessId: 'int',
    LogicalServerName: 'string', Location: 'string', ReplicaRole: 'string', BackendType: 'string', Detail: 'string',
    DetailLog: 'string', Hint: 'string', Context: 'string', Query: 'string', Statement: 'string', SchemaName: 'string',
    TableName: 'string', ColumnName: 'string', ConstraintName: 'string', DatatypeName: 'string', _ResourceId: 'string',
    _SubscriptionId: 'string', _BilledSize: 'real', _IsBillable: 'string', SourceSystem: 'string', TenantId: 'string',
    Type: 'string',
  },
  AzureDiagnostics: {
    TimeGenerated: 'datetime', ResourceId: 'string', _ResourceId: 'string', Resource: 'string', LogicalServerName_s: 'string',
    Category: 'string', OperationName: 'string', ResourceProvider: 'string', ResourceType: 'string', errorLevel_s: 'string',
    processId_d: 'real', sqlerrcode_s: 'string', Message: 'string', SubscriptionId: 'string', ResourceGroup: 'string',
    TenantId: 'string', SourceSystem: 'string', Type: 'string',
  },
};

export type KustoType = 'datetime' | 'string' | 'int' | 'long' | 'real' | 'bool';
