# Runtime image of Vantage; build the jars first with ./mvnw -DskipTests package
FROM eclipse-temurin:17-jre
WORKDIR /opt/vantage
COPY launcher/target/vantage.jar launcher/target/lib/ /opt/vantage/lib/
RUN mkdir -p bin && printf '#!/bin/sh\nexec java -cp "/opt/vantage/lib/*" io.vantage.launcher.Main "$@"\n' > bin/vantage-run && chmod +x bin/vantage-run
ENV VANTAGE_PORT=8080
EXPOSE 8080
ENTRYPOINT ["/opt/vantage/bin/vantage-run"]
