"""The declarations: one `Kind` per kind of AWS Batch resource (see `conformance.catalogue`)."""

from __future__ import annotations

from types import MappingProxyType

from conformance.catalogue._model import By, Kind, Listing, Lookup, Ref

# The name in an ARN: whatever the resource is called (which names are valid is the name
# rules' business, not the ARN's shape).
ARN_NAME = r"[^/:]+"


def _refs(operation: str, *paths: str, by: By = "name-or-arn", acts: bool = False) -> list[Ref]:
    return [Ref(operation, path, by, acts) for path in paths]


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
        *_refs("UpdateComputeEnvironment", "computeEnvironment", acts=True),
        *_refs("DeleteComputeEnvironment", "computeEnvironment", acts=True),
        *_refs("DescribeComputeEnvironments", "computeEnvironments.*"),
        *_refs("CreateJobQueue", "computeEnvironmentOrder.*.computeEnvironment"),
        *_refs("UpdateJobQueue", "computeEnvironmentOrder.*.computeEnvironment"),
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
        *_refs("UpdateSchedulingPolicy", "arn", by="arn", acts=True),
        *_refs("DeleteSchedulingPolicy", "arn", by="arn", acts=True),
        *_refs("DescribeSchedulingPolicies", "arns.*", by="arn"),
        *_refs("CreateJobQueue", "schedulingPolicyArn", by="arn"),
        *_refs("UpdateJobQueue", "schedulingPolicyArn", by="arn"),
    ),
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
        *_refs("UpdateServiceEnvironment", "serviceEnvironment", acts=True),
        *_refs("DeleteServiceEnvironment", "serviceEnvironment", acts=True),
        *_refs("DescribeServiceEnvironments", "serviceEnvironments.*"),
        *_refs("CreateJobQueue", "serviceEnvironmentOrder.*.serviceEnvironment"),
        *_refs("UpdateJobQueue", "serviceEnvironmentOrder.*.serviceEnvironment"),
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
        *_refs("UpdateJobQueue", "jobQueue", acts=True),
        *_refs("DeleteJobQueue", "jobQueue", acts=True),
        *_refs("DescribeJobQueues", "jobQueues.*"),
        *_refs("SubmitJob", "jobQueue"),
        *_refs("ListJobs", "jobQueue"),
        *_refs("GetJobQueueSnapshot", "jobQueue"),
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
        *_refs("SubmitServiceJob", "jobQueue"),
        *_refs("ListServiceJobs", "jobQueue"),
        *_refs("CreateQuotaShare", "jobQueue"),
        *_refs("ListQuotaShares", "jobQueue"),
    ),
    made_with=MappingProxyType({"jobQueueType": "SAGEMAKER_TRAINING"}),
    made_without=("computeEnvironmentOrder",),
    made_filled=("serviceEnvironmentOrder",),
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
        *_refs("DeregisterJobDefinition", "jobDefinition", by="revision", acts=True),
        *_refs("DescribeJobDefinitions", "jobDefinitions.*", by="revision"),
        *_refs("DescribeJobDefinitions", "jobDefinitionName", by="name"),
        *_refs("SubmitJob", "jobDefinition", by="revision"),
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
        *_refs("TerminateJob", "jobId", by="id", acts=True),
        *_refs("CancelJob", "jobId", by="id", acts=True),
        *_refs("TerminateJobs", "jobs.*", by="id", acts=True),
        *_refs("CancelJobs", "jobs.*", by="id", acts=True),
        *_refs("DescribeJobs", "jobs.*", by="id"),
        *_refs("SubmitJob", "dependsOn.*.jobId", by="id"),
        *_refs("ListJobs", "arrayJobId", "multiNodeJobId", by="id"),
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
        *_refs("UpdateConsumableResource", "consumableResource", acts=True),
        *_refs("DeleteConsumableResource", "consumableResource", acts=True),
        *_refs("DescribeConsumableResource", "consumableResource"),
        *_refs("ListJobsByConsumableResource", "consumableResource"),
        *_refs(
            "RegisterJobDefinition",
            "consumableResourceProperties.consumableResourceList.*.consumableResource",
        ),
        *_refs(
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
        *_refs("UpdateQuotaShare", "quotaShareArn", by="arn", acts=True),
        *_refs("DeleteQuotaShare", "quotaShareArn", by="arn", acts=True),
        *_refs("DescribeQuotaShare", "quotaShareArn", by="arn"),
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
        *_refs("TerminateServiceJob", "jobId", by="id", acts=True),
        *_refs("UpdateServiceJob", "jobId", by="id", acts=True),
        *_refs("TerminateServiceJobs", "jobs.*", by="id", acts=True),
        *_refs("DescribeServiceJob", "jobId", by="id"),
    ),
)
# Not a Batch resource, but Batch requests name roles: the run makes them through IAM.
IAM_ROLE = Kind(
    name="iam-role",
    label="IAM role",
    short="role",
    busy=(),
    settled=(),
    refs=(
        *_refs("CreateComputeEnvironment", "serviceRole", by="arn"),
        *_refs("UpdateComputeEnvironment", "serviceRole", by="arn"),
        *_refs(
            "RegisterJobDefinition",
            "containerProperties.jobRoleArn",
            "containerProperties.executionRoleArn",
            by="arn",
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
    JOB_QUEUE,
    COMPUTE_ENVIRONMENT,
    SERVICE_ENVIRONMENT,
    SCHEDULING_POLICY,
    CONSUMABLE_RESOURCE,
    IAM_ROLE,
)
