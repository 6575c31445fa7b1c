package io.popfleet.backup;

import java.net.URI;

import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * S3Proxy over jclouds' in-memory blob store on 127.0.0.1, in its own JVM ({@link LoopbackS3} starts it): jclouds
 * needs Guice 7, and the Quarkus test bootstrap puts Maven's Guice 5 first on the test classpath. Args: access key
 * id, bucket; the secret comes in the environment. Prints {@code port N} once listening; exits when stdin closes, so
 * it never outlives the test JVM.
 */
public final class LoopbackS3Main {

    static final String SECRET_ENV = "LOOPBACK_S3_SECRET";

    private LoopbackS3Main() {
    }

    public static void main(String[] args) throws Exception {
        BlobStoreContext context = ContextBuilder.newBuilder("transient").credentials("unused", "unused")
                .build(BlobStoreContext.class);
        context.getBlobStore().createContainerInLocation(null, args[1]);
        S3Proxy proxy = S3Proxy.builder().blobStore(context.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V4, args[0], System.getenv(SECRET_ENV)).build();
        proxy.start();
        System.out.println("port " + proxy.getPort());
        System.out.flush();
        while (System.in.read() >= 0) {
            // the parent never writes; EOF means it is done or gone
        }
        proxy.stop();
        context.close();
        System.exit(0);
    }
}
