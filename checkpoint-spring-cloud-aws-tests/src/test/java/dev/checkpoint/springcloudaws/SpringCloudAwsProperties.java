package dev.checkpoint.springcloudaws;

import dev.checkpoint.testsupport.TestDynamoDb;

/** What a Spring Cloud AWS application sets, pointing at the test DynamoDB. */
final class SpringCloudAwsProperties {

    private SpringCloudAwsProperties() {
    }

    static String[] pointingAtTheTestServer() {
        TestDynamoDb server = TestDynamoDb.shared();
        var credentials = server.credentials().resolveCredentials();
        return new String[] { "spring.cloud.aws.region.static=" + server.region().id(),
                "spring.cloud.aws.dynamodb.endpoint=" + server.endpoint(),
                "spring.cloud.aws.credentials.access-key=" + credentials.accessKeyId(),
                "spring.cloud.aws.credentials.secret-key=" + credentials.secretAccessKey() };
    }
}
