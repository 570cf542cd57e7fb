package dev.checkpoint.readme;

import dev.checkpoint.kinesis.RecordProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/** The README's consumer in one bean, as written there; {@code handle} stands for the application's own code. */
@SpringBootApplication
public class OrdersConsumer {

    public static void main(String[] args) {
        SpringApplication.run(OrdersConsumer.class, args);
    }

    @Bean
    RecordProcessor orders() {
        return records -> records.forEach(record -> handle(record.data().asUtf8String()));
    }

    private static void handle(String order) {
        System.out.println("handled order " + order);
    }
}
