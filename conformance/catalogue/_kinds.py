"""The declarations: one `Kind` per kind of AWS Batch resource (see `conformance.catalogue`)."""

from __future__ import annotations

from types import MappingProxyType

from conformance.catalogue._compute import ec2_resources, fargate_resources, managed_variant
from conformance.catalogue._model import Kind, Listing, Lookup, refs_of

# The name in an ARN: whatever the resource is called (which names are valid is the name
# rules' business, not the ARN's shape).
ARN_NAME = r"[^/:]+"


# What AWS does with a reference to nothing (`absent`), where it is not a refusal (each rule
# in specs/ says on what evidence): a delete of nothing is a no-op ("this happens for other
# delete operations for this particular service as well", aws/aws-cli#2551 on TerminateJob);
# a description lists nothing for it; a bulk operation reports it among its `errors`.


COMPUTE_ENVIRONMENT = Kind(
    name="compute-environment",
    label="compute environment",
    short="ce",
    arn_shape=rf"compute-environment/{ARN_NAME}",
    create="CreateComputeEnvironment",
    name_member="computeEnvironmentName",
    arn_member="computeEnvironmentArn",
    describe=Lookup(
        "DescribeComputeEnvironments", "computeEnvironments", True, "computeEnvironments"
    ),
    listing=Listing("DescribeComputeEnvironments", "computeEnvironments"),
    update="UpdateComputeEnvironment",
    delete="DeleteComputeEnvironment",
    disabled_first=True,
    taggable=True,
    refs=(
        *refs_of("UpdateComputeEnvironment", "computeEnvironment", acts=True),
        *refs_of("DeleteComputeEnvironment", "computeEnvironment", acts=True, absent="accepted"),
        *refs_of("DescribeComputeEnvironments", "computeEnvironments.*", absent="not-listed"),
        *refs_of("CreateJobQueue", "computeEnvironmentOrder.*.computeEnvironment"),
        *refs_of("UpdateJobQueue", "computeEnvironmentOrder.*.computeEnvironment"),
    ),
)
SCHEDULING_POLICY = Kind(
    name="scheduling-policy",
    label="scheduling policy",
    short="sp",
    arn_shape=rf"scheduling-policy/{ARN_NAME}",
    create="CreateSchedulingPolicy",
    name_member="name",
    arn_member="arn",
    describe=Lookup("DescribeSchedulingPolicies", "arns", True, "schedulingPolicies"),
    listing=Listing("ListSchedulingPolicies", "schedulingPolicies"),
    update="UpdateSchedulingPolicy",
    delete="DeleteSchedulingPolicy",
    busy=(),
    settled=(),
    taggable=True,
    refs=(
        *refs_of("UpdateSchedulingPolicy", "arn", by="arn", acts=True),
        *refs_of("DeleteSchedulingPolicy", "arn", by="arn", acts=True, absent="accepted"),
        *refs_of("DescribeSchedulingPolicies", "arns.*", by="arn", absent="not-listed"),
        *refs_of("CreateJobQueue", "schedulingPolicyArn", by="arn"),
        *refs_of("UpdateJobQueue", "schedulingPolicyArn", by="arn"),
    ),
)
# A scheduling policy with a fair-share policy: what a fair-share job queue is made with.
FAIR_SHARE_POLICY = Kind(
    name="fair-share-policy",
    label="fair-share scheduling policy",
    short=SCHEDULING_POLICY.short,
    create=SCHEDULING_POLICY.create,
    name_member=SCHEDULING_POLICY.name_member,
    arn_member=SCHEDULING_POLICY.arn_member,
    arn_shape=SCHEDULING_POLICY.arn_shape,
    describe=SCHEDULING_POLICY.describe,
    update=SCHEDULING_POLICY.update,
    delete=SCHEDULING_POLICY.delete,
    busy=(),
    settled=(),
    taggable=True,
    made_with=MappingProxyType({"fairsharePolicy": {"shareDecaySeconds": 3600}}),
)


FARGATE_COMPUTE_ENVIRONMENT = managed_variant(
    COMPUTE_ENVIRONMENT,
    "fargate-compute-environment",
    "MANAGED FARGATE compute environment",
    fargate_resources,
)
# An infrastructure update (updatePolicy) acts on the instances of a VALID MANAGED EC2
# environment, which needs an ECS instance profile the run does not make.
EC2_COMPUTE_ENVIRONMENT = managed_variant(
    COMPUTE_ENVIRONMENT,
    "ec2-compute-environment",
    "MANAGED EC2 compute environment",
    ec2_resources,
    unmade="needs a MANAGED EC2 compute environment that becomes VALID: an ECS instance"
    " profile (instanceRole) and a network the run does not make",
)
SERVICE_ENVIRONMENT = Kind(
    name="service-environment",
    label="service environment",
    short="se",
    create="CreateServiceEnvironment",
    name_member="serviceEnvironmentName",
    arn_member="serviceEnvironmentArn",
    describe=Lookup(
        "DescribeServiceEnvironments", "serviceEnvironments", True, "serviceEnvironments"
    ),
    listing=Listing("DescribeServiceEnvironments", "serviceEnvironments"),
    update="UpdateServiceEnvironment",
    delete="DeleteServiceEnvironment",
    disabled_first=True,
    taggable=True,
    refs=(
        *refs_of("UpdateServiceEnvironment", "serviceEnvironment", acts=True),
        *refs_of("DeleteServiceEnvironment", "serviceEnvironment", acts=True, absent="accepted"),
        *refs_of("DescribeServiceEnvironments", "serviceEnvironments.*", absent="not-listed"),
        *refs_of("CreateJobQueue", "serviceEnvironmentOrder.*.serviceEnvironment"),
        *refs_of("UpdateJobQueue", "serviceEnvironmentOrder.*.serviceEnvironment"),
    ),
)
JOB_QUEUE = Kind(
    name="job-queue",
    label="job queue",
    short="jq",
    arn_shape=rf"job-queue/{ARN_NAME}",
    create="CreateJobQueue",
    name_member="jobQueueName",
    arn_member="jobQueueArn",
    describe=Lookup("DescribeJobQueues", "jobQueues", True, "jobQueues"),
    listing=Listing("DescribeJobQueues", "jobQueues"),
    update="UpdateJobQueue",
    delete="DeleteJobQueue",
    disabled_first=True,
    taggable=True,
    refs=(
        *refs_of("UpdateJobQueue", "jobQueue", acts=True),
        *refs_of("DeleteJobQueue", "jobQueue", acts=True, absent="accepted"),
        *refs_of("DescribeJobQueues", "jobQueues.*", absent="not-listed"),
        *refs_of("SubmitJob", "jobQueue"),
        *refs_of("ListJobs", "jobQueue"),
        *refs_of("GetJobQueueSnapshot", "jobQueue"),
    ),
)
# A job queue of SageMaker training jobs: it orders service environments, not compute
# environments. Made and cleaned up as a job queue; what refers to it expects this type.
SERVICE_QUEUE = Kind(
    name="service-queue",
    label="SageMaker training job queue",
    short="jq",
    create=JOB_QUEUE.create,
    name_member=JOB_QUEUE.name_member,
    arn_member=JOB_QUEUE.arn_member,
    arn_shape=JOB_QUEUE.arn_shape,
    describe=JOB_QUEUE.describe,
    update=JOB_QUEUE.update,
    delete=JOB_QUEUE.delete,
    disabled_first=True,
    taggable=True,
    refs=(
        *refs_of("SubmitServiceJob", "jobQueue"),
        *refs_of("ListServiceJobs", "jobQueue"),
        *refs_of("CreateQuotaShare", "jobQueue"),
        *refs_of("ListQuotaShares", "jobQueue"),
    ),
    made_with=MappingProxyType({"jobQueueType": "SAGEMAKER_TRAINING"}),
    made_without=("computeEnvironmentOrder",),
    made_filled=("serviceEnvironmentOrder",),
)
# A job queue with a fair-share scheduling policy: a job with a shareIdentifier or a
# schedulingPriorityOverride needs one (the run's own queue is FIFO, and "A job queue
# without a fair-share scheduling policy ... can't have a fair-share scheduling policy
# added"). Made and cleaned up as a job queue.
FAIR_SHARE_QUEUE = Kind(
    name="fair-share-queue",
    label="fair-share job queue",
    short=JOB_QUEUE.short,
    create=JOB_QUEUE.create,
    name_member=JOB_QUEUE.name_member,
    arn_member=JOB_QUEUE.arn_member,
    arn_shape=JOB_QUEUE.arn_shape,
    describe=JOB_QUEUE.describe,
    update=JOB_QUEUE.update,
    delete=JOB_QUEUE.delete,
    disabled_first=True,
    taggable=True,
    made_with=MappingProxyType(
        {"schedulingPolicyArn": lambda ctx: ctx.resource(FAIR_SHARE_POLICY.name)}
    ),
)
JOB_DEFINITION = Kind(
    name="job-definition",
    label="job definition",
    short="jd",
    arn_shape=rf"job-definition/{ARN_NAME}:[1-9][0-9]*",
    create="RegisterJobDefinition",
    name_member="jobDefinitionName",
    arn_member="jobDefinitionArn",
    describe=Lookup("DescribeJobDefinitions", "jobDefinitions", True, "jobDefinitions"),
    listing=Listing("DescribeJobDefinitions", "jobDefinitions", {"status": "ACTIVE"}),
    delete="DeregisterJobDefinition",
    busy=(),
    settled=("ACTIVE", "INACTIVE"),
    taggable=True,
    refs=(
        *refs_of(
            "DeregisterJobDefinition",
            "jobDefinition",
            by="exact-revision",
            acts=True,
            absent="accepted",
        ),
        *refs_of(
            "DescribeJobDefinitions", "jobDefinitions.*", by="exact-revision", absent="not-listed"
        ),
        *refs_of("DescribeJobDefinitions", "jobDefinitionName", by="name", absent="not-listed"),
        *refs_of("SubmitJob", "jobDefinition", by="revision"),
    ),
)
JOB = Kind(
    name="job",
    label="job",
    short="job",
    arn_shape=r"job/[^/]+",
    create="SubmitJob",
    name_member="jobName",
    arn_member="jobArn",
    id_member="jobId",
    describe=Lookup("DescribeJobs", "jobs", True, "jobs"),
    listing=Listing(
        "ListJobs",
        "jobSummaryList",
        page_size=None,
        statuses=("SUBMITTED", "PENDING", "RUNNABLE", "STARTING", "RUNNING"),
        in_queue="jobQueue",
    ),
    delete="TerminateJob",
    delete_with=MappingProxyType({"reason": "conformance run over"}),
    busy=("SUBMITTED", "PENDING", "RUNNABLE", "STARTING", "RUNNING"),
    settled=("SUCCEEDED", "FAILED"),
    taggable=True,
    refs=(
        *refs_of("TerminateJob", "jobId", by="id", acts=True, absent="accepted"),
        *refs_of("CancelJob", "jobId", by="id", acts=True, absent="accepted"),
        *refs_of("TerminateJobs", "jobs.*", by="id", acts=True, absent="reported"),
        *refs_of("CancelJobs", "jobs.*", by="id", acts=True, absent="reported"),
        *refs_of(
            "DescribeJobs",
            "jobs.*",
            by="id",
            rule="DescribeJobs.behaviour.unknown-id",
            absent="not-listed",
        ),
        *refs_of("SubmitJob", "dependsOn.*.jobId", by="id"),
        *refs_of("ListJobs", "arrayJobId", "multiNodeJobId", by="id"),
    ),
)
CONSUMABLE_RESOURCE = Kind(
    name="consumable-resource",
    label="consumable resource",
    short="cr",
    create="CreateConsumableResource",
    name_member="consumableResourceName",
    arn_member="consumableResourceArn",
    describe=Lookup("DescribeConsumableResource", "consumableResource", False, None),
    listing=Listing("ListConsumableResources", "consumableResources"),
    update="UpdateConsumableResource",
    delete="DeleteConsumableResource",
    busy=(),
    settled=(),
    taggable=True,
    refs=(
        *refs_of("UpdateConsumableResource", "consumableResource", acts=True),
        *refs_of("DeleteConsumableResource", "consumableResource", acts=True, absent="accepted"),
        *refs_of("DescribeConsumableResource", "consumableResource"),
        *refs_of("ListJobsByConsumableResource", "consumableResource"),
        *refs_of(
            "RegisterJobDefinition",
            "consumableResourceProperties.consumableResourceList.*.consumableResource",
        ),
        *refs_of(
            "SubmitJob",
            "consumableResourcePropertiesOverride.consumableResourceList.*.consumableResource",
        ),
    ),
)
QUOTA_SHARE = Kind(
    name="quota-share",
    label="quota share",
    short="qs",
    create="CreateQuotaShare",
    name_member="quotaShareName",
    arn_member="quotaShareArn",
    describe=Lookup("DescribeQuotaShare", "quotaShareArn", False, None),
    update="UpdateQuotaShare",
    delete="DeleteQuotaShare",
    busy=(),
    settled=(),
    taggable=True,
    makeable=False,
    refs=(
        *refs_of("UpdateQuotaShare", "quotaShareArn", by="arn", acts=True),
        *refs_of("DeleteQuotaShare", "quotaShareArn", by="arn", acts=True, absent="accepted"),
        *refs_of("DescribeQuotaShare", "quotaShareArn", by="arn"),
    ),
)
SERVICE_JOB = Kind(
    name="service-job",
    label="service job",
    short="sjob",
    create="SubmitServiceJob",
    name_member="jobName",
    arn_member="jobArn",
    id_member="jobId",
    describe=Lookup("DescribeServiceJob", "jobId", False, None),
    update="UpdateServiceJob",
    delete="TerminateServiceJob",
    delete_with=MappingProxyType({"reason": "conformance run over"}),
    busy=("SUBMITTED", "PENDING", "RUNNABLE", "SCHEDULED", "STARTING", "RUNNING"),
    settled=("SUCCEEDED", "FAILED"),
    taggable=True,
    makeable=False,
    refs=(
        *refs_of("TerminateServiceJob", "jobId", by="id", acts=True, absent="accepted"),
        *refs_of("UpdateServiceJob", "jobId", by="id", acts=True),
        *refs_of("TerminateServiceJobs", "jobs.*", by="id", acts=True, absent="reported"),
        *refs_of("DescribeServiceJob", "jobId", by="id"),
    ),
)
# Not a Batch resource, but Batch requests name roles: the run makes them through IAM.
# A role that does not exist is no refusal the suite can hold an endpoint to:
SERVICE_ROLE_OF_NOTHING = (
    "AWS takes a compute environment whose service role does not exist and leaves it"
    " INVALID, and such an environment cannot be deleted until the role exists (aws/aws-cdk"
    "#20727, hashicorp/terraform-provider-aws#16417): a case would leave it behind on AWS"
)
PASSED_ROLE_OF_NOTHING = (
    "AWS checks iam:PassRole on a job definition's roles, whose answer depends on the"
    " caller's permissions (403 AccessDeniedException for a role it may not pass, snakemake/"
    "snakemake-executor-plugin-aws-batch#33); that the role exists is not documented"
)
IAM_ROLE = Kind(
    name="iam-role",
    label="IAM role",
    short="role",
    busy=(),
    settled=(),
    refs=(
        *refs_of(
            "CreateComputeEnvironment",
            "serviceRole",
            by="arn",
            untested=SERVICE_ROLE_OF_NOTHING,
        ),
        *refs_of(
            "UpdateComputeEnvironment",
            "serviceRole",
            by="arn",
            untested=SERVICE_ROLE_OF_NOTHING,
        ),
        *refs_of(
            "RegisterJobDefinition",
            "containerProperties.jobRoleArn",
            "containerProperties.executionRoleArn",
            by="arn",
            untested=PASSED_ROLE_OF_NOTHING,
        ),
    ),
)

# In the order the cleanup removes them: what refers to a kind goes before it.

# Every kind: adding one is a declaration above and its name here (and its rules in specs/).
KINDS: tuple[Kind, ...] = (
    SERVICE_JOB,
    JOB,
    QUOTA_SHARE,
    JOB_DEFINITION,
    SERVICE_QUEUE,
    FAIR_SHARE_QUEUE,
    JOB_QUEUE,
    COMPUTE_ENVIRONMENT,
    FARGATE_COMPUTE_ENVIRONMENT,
    EC2_COMPUTE_ENVIRONMENT,
    SERVICE_ENVIRONMENT,
    SCHEDULING_POLICY,
    FAIR_SHARE_POLICY,
    CONSUMABLE_RESOURCE,
    IAM_ROLE,
)
